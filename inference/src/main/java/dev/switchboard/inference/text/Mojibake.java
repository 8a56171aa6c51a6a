package dev.switchboard.inference.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Repairs "mojibake": UTF-8 text that some earlier system decoded as Windows-1252 (or Latin-1) and
 * stored that way, so "für" arrives as "fÃ¼r", "sincronización" as "sincronizaciÃ³n" and "don’t" as
 * "donâ€™t". Ticket exports and mail gateways produce it often; a dispatcher cannot read it, and a
 * model sees "fÃ¼r" as two odd tokens instead of the word.
 *
 * <p>Only a run of characters that encodes, byte for byte in Windows-1252, to a well-formed UTF-8
 * multi-byte sequence is replaced: a lead character U+00C2–U+00F4 followed by exactly the continuation
 * characters that UTF-8 needs, and, for two-byte sequences, only when the result is a Latin-1 character
 * or a letter. Ordinary accented text is left alone ("café", "São Paulo", "Ãrvore", "»Gruß«"), since
 * in real writing such a lead letter is rarely followed by characters from the C1 / Latin-1
 * punctuation block, and when it is ("ß«") the result would not be a letter. Text mangled twice is repaired twice (at most three rounds).
 */
public final class Mojibake {

    private Mojibake() {
    }

    /** {@code text} with mis-decoded UTF-8 sequences restored; the same instance when there are none. */
    public static String repair(String text) {
        if (text == null) return null;
        String s = text;
        for (int round = 0; round < 3; round++) {
            String r = repairOnce(s);
            if (r == s) break;
            s = r;
        }
        return s;
    }

    private static String repairOnce(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '\u00C2' || c > '\u00F4') continue;
            int need = c <= '\u00DF' ? 1 : c <= '\u00EF' ? 2 : 3;
            if (i + need >= n) continue;
            byte[] bytes = new byte[need + 1];
            bytes[0] = (byte) c;
            boolean ok = true;
            for (int k = 1; k <= need; k++) {
                int b = cp1252Byte(s.charAt(i + k));
                if (b < 0x80 || b > 0xBF) {
                    ok = false;
                    break;
                }
                bytes[k] = (byte) b;
            }
            if (!ok) continue;
            String decoded = decodeStrict(bytes);
            if (decoded == null) continue;
            // A two-byte sequence is taken when it stands for a Latin-1 character (lead Â or Ã: "Ã¼" is ü)
            // or for a letter of another script (Cyrillic "Ð¿" is п). Otherwise it is correct text that
            // happens to look like one, e.g. German "Gruß«": ß followed by a guillemet.
            if (need == 1 && c != '\u00C2' && c != '\u00C3' && !Character.isLetter(decoded.codePointAt(0))) continue;
            if (out == null) out = new StringBuilder(n);
            out.append(s, copied, i).append(decoded);
            copied = i + need + 1;
            i += need;
        }
        if (out == null) return s;
        out.append(s, copied, n);
        return out.toString();
    }

    /** The Windows-1252 byte of {@code c} (Latin-1 for the five codes Windows-1252 leaves undefined), or -1. */
    private static int cp1252Byte(char c) {
        if (c < 0x80) return c;
        if (c >= 0xA0 && c <= 0xFF) return c;
        if (c >= 0x80 && c <= 0x9F) return c; // C1 controls: what a Latin-1 decoder leaves
        return switch (c) {
            case '€' -> 0x80; case '‚' -> 0x82; case 'ƒ' -> 0x83; case '„' -> 0x84; case '…' -> 0x85;
            case '†' -> 0x86; case '‡' -> 0x87; case 'ˆ' -> 0x88; case '‰' -> 0x89; case 'Š' -> 0x8A;
            case '‹' -> 0x8B; case 'Œ' -> 0x8C; case 'Ž' -> 0x8E; case '‘' -> 0x91; case '’' -> 0x92;
            case '“' -> 0x93; case '”' -> 0x94; case '•' -> 0x95; case '–' -> 0x96; case '—' -> 0x97;
            case '˜' -> 0x98; case '™' -> 0x99; case 'š' -> 0x9A; case '›' -> 0x9B; case 'œ' -> 0x9C;
            case 'ž' -> 0x9E; case 'Ÿ' -> 0x9F;
            default -> -1;
        };
    }

    private static String decodeStrict(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = d.decode(ByteBuffer.wrap(bytes));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
