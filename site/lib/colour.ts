/** The brand colour from settings, and the colours derived from it that keep text readable (WCAG AA). */
const DEFAULT_BRAND = '#0b6e4f';

const channels = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const toHex = (rgb: number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Mixes `hex` toward `toward` by `t` (0 = hex, 1 = toward). */
export const mix = (hex: string, toward: string, t: number) => {
  const [a, b] = [channels(hex), channels(toward)];
  return toHex(a.map((c, i) => c + (b[i] - c) * t));
};

/** The brand colour darkened just enough to read as text on white (4.5:1). */
function readableOnWhite(hex: string): string {
  let t = 0;
  while (contrast(mix(hex, '#000000', t), '#ffffff') < 4.5) t += 0.05;
  return mix(hex, '#000000', t);
}

export interface Palette {
  brand: string;
  /** Text on a brand-coloured background. */
  onBrand: string;
  /** Links and headings on white. */
  ink: string;
  /** A pale tint for panels. */
  tint: string;
}

export function palette(brandColor?: string): Palette {
  const brand = brandColor && /^#[0-9a-f]{6}$/i.test(brandColor) ? brandColor.toLowerCase() : DEFAULT_BRAND;
  return {
    brand,
    onBrand: contrast(brand, '#ffffff') >= contrast(brand, '#000000') ? '#ffffff' : '#000000',
    ink: readableOnWhite(brand),
    tint: mix(brand, '#ffffff', 0.9),
  };
}
