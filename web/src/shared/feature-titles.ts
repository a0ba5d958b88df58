// Human names for feature specs, for the feature switch.
import { MODEL_SPEC_PREFIX } from './core-schema';

const KNOWN: Record<string, string> = {
  pixels: 'Raw pixels',
  colour: 'Colour histogram',
  color: 'Colour histogram',
  'colour-texture': 'Colour + texture',
};

/** "colour:bins=8x4x4" → "Colour histogram (bins 8x4x4)"; "model:clip" → "Model: clip". */
export function featureTitle(spec: string): string {
  if (isModelSpec(spec)) return `Model: ${spec.slice(MODEL_SPEC_PREFIX.length)}`;
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const params = colon < 0 ? '' : spec.slice(colon + 1);
  const base = KNOWN[name] ?? name;
  return params ? `${base} (${params.replace(/=/g, ' ').replace(/,/g, ', ')})` : base;
}

export function isModelSpec(spec: string): boolean {
  return spec.startsWith(MODEL_SPEC_PREFIX);
}
