// Text cut to a length in UTF-16 code units (what String#length counts) without splitting a
// character: a plain slice through a surrogate pair (an emoji, most of CJK Extension B) keeps its
// high half alone, a lone surrogate sent on to the other side as it is and turned into U+FFFD by the
// journal's UTF-8. Texts at most `max` long are returned as they are (no copy).

/** Preview text (consumer sneakPreviewText, agent sneakPreview) beyond this many units is cut. */
export const PREVIEW_MAX_UNITS = 4000;

/** `text` cut to at most `max` units, one fewer when the cut would fall inside a surrogate pair. */
export function cutToCodePoint(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  const next = text.charCodeAt(max);
  const splitsPair = last >= 0xd800 && last <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
  return text.slice(0, splitsPair ? max - 1 : max);
}
