/** A share, or null when its denominator is zero (shown as "—", never as 0% or a division error). */
export type Rate = number | null;
export const rate = (part: number, whole: number): Rate => (whole === 0 ? null : part / whole);
