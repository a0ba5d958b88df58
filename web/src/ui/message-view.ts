// The inline message area: failures are shown here, next to the controls,
// and the page stays usable.
import { byId } from './dom';

const box = () => byId('message');

export function showError(text: string): void {
  const element = box();
  element.dataset['tone'] = 'error';
  element.textContent = text;
  element.hidden = false;
}

export function showInfo(text: string): void {
  const element = box();
  element.dataset['tone'] = 'info';
  element.textContent = text;
  element.hidden = false;
}

export function clearMessage(): void {
  const element = box();
  element.hidden = true;
  element.textContent = '';
}
