package dev.switchboard.inference.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MojibakeTest {

    /**
     * What a system that read UTF-8 bytes as Windows-1252 stored (the five bytes Windows-1252 leaves
     * undefined kept as the Latin-1 control characters, as most such systems do).
     */
    private static String mangle(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xff;
            boolean undefined = u == 0x81 || u == 0x8D || u == 0x8F || u == 0x90 || u == 0x9D;
            out.append(undefined ? String.valueOf((char) u) : new String(new byte[] {b}, Charset.forName("windows-1252")));
        }
        return out.toString();
    }

    @Test
    void restoresUtf8ThatWasReadAsWindows1252() {
        assertThat(mangle("für")).isEqualTo("fÃ¼r");
        assertThat(Mojibake.repair("support fÃ¼r fa.konnica")).isEqualTo("support für fa.konnica");
        assertThat(Mojibake.repair("der pc hat sich aufgehÃ¤ngt, prÃ¤sentiert")).isEqualTo("der pc hat sich aufgehängt, präsentiert");
        assertThat(Mojibake.repair("la sincronizaciÃ³n")).isEqualTo("la sincronización");
        assertThat(Mojibake.repair("this donÂ´t work")).isEqualTo("this don´t work");
        for (String s : new String[] {"don’t “quoted” – €5 …", "Größe, Übergabe, naïve", "日本語のチケット", "emoji 🙂 ok",
                "привет, как дела", "καλημέρα", "»Gruß« vom Fuß°"}) {
            assertThat(Mojibake.repair(mangle(s))).isEqualTo(s);
        }
        assertThat(Mojibake.repair(mangle(mangle("Störung")))).isEqualTo("Störung"); // mangled twice
    }

    @Test
    void leavesCorrectTextAloneEvenWithTheSameLetters() {
        for (String s : new String[] {"café crème brûlée", "São Paulo, AÇÃO", "Ãrvore", "ÉTÉ «été»", "Größe", "a ± b",
                "Ã", "Ã ", "price: 5€", "plain ascii",
                "»Gruß« und «Spaß»", "MÜ° Ö»"}) {
            assertThat(Mojibake.repair(s)).isEqualTo(s);
        }
        String same = "nothing to do here";
        assertThat(Mojibake.repair(same)).isSameAs(same);
        assertThat(Mojibake.repair(null)).isNull();
    }
}
