// Human names for feature specs, for the feature switch.

const KNOWN: Record<string, string> = {
  pixels: 'Raw pixels',
  colour: 'Colour histogram',
  color: 'Colour histogram',
  'colour-texture': 'Colour + texture',
};

/** "colour:bins=8x4x4" → "Colour histogram (bins 8x4x4)"; "model:clip" → "Model: clip". */
export function featureTitle(spec: string): string {
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const params = colon < 0 ? '' : spec.slice(colon + 1);
  if (name === 'model') return `Model: ${params}`;
  const base = KNOWN[name] ?? name;
  return params ? `${base} (${params.replace(/=/g, ' ').replace(/,/g, ', ')})` : base;
}

export function isModelSpec(spec: string): boolean {
  return spec.startsWith('model:');
}
