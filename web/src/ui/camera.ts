// Taking the query from the camera (getUserMedia), when the browser offers
// one. The frame is captured as PNG, so the core decodes exactly what was seen.
import { byId } from './dom';

export function setUpCamera(onPhoto: (blob: Blob) => void, onError: (message: string) => void): void {
  const button = byId<HTMLButtonElement>('camera-button');
  const dialog = byId<HTMLDialogElement>('camera-dialog');
  const video = byId<HTMLVideoElement>('camera-video');
  if (!navigator.mediaDevices?.getUserMedia || typeof dialog.showModal !== 'function') return;
  button.hidden = false;
  let stream: MediaStream | null = null;

  const stop = () => {
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    if (dialog.open) dialog.close();
  };

  button.addEventListener('click', async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (error) {
      const name = (error as DOMException).name;
      onError(
        name === 'NotAllowedError'
          ? 'The camera was not allowed. You can allow it in the browser’s site settings.'
          : name === 'NotFoundError'
            ? 'No camera was found.'
            : `The camera could not start: ${(error as Error).message}`,
      );
      return;
    }
    video.srcObject = stream;
    dialog.showModal();
    await video.play().catch(() => undefined);
  });

  byId('camera-capture').addEventListener('click', () => {
    if (!video.videoWidth) {
      onError('The camera has not delivered a picture yet; try again in a moment.');
      return;
    }
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    stop();
    canvas.toBlob((blob) => (blob ? onPhoto(blob) : onError('The camera picture could not be captured.')), 'image/png');
  });
  byId('camera-cancel').addEventListener('click', stop);
  dialog.addEventListener('close', stop);
}
