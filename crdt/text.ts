/**
 * Normalising user text before it goes into the document.
 *
 * Yjs encodes strings as UTF-8, which turns a lone surrogate into U+FFFD on the wire, while the
 * sender's own doc keeps the original JS string: without normalising, the sender would see a
 * different message than everyone else. Cutting a long name in the middle of a surrogate pair would
 * create exactly such a lone surrogate, so names are cut by code point.
 */
import { MAX_NAME } from './schema.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces lone surrogates with U+FFFD, as the UTF-8 encoder on the wire would. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** A display name as stored: trimmed, well-formed, at most MAX_NAME UTF-16 units, never half a pair. */
export function clampName(name: string): string {
  let out = '';
  for (const codePoint of wellFormed(name.trim())) {
    if (out.length + codePoint.length > MAX_NAME) break;
    out += codePoint;
  }
  return out.trimEnd();
}
