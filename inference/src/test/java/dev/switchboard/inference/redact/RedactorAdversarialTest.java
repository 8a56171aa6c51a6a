package dev.switchboard.inference.redact;

import dev.switchboard.inference.redact.Redactor.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ticket text is untrusted: about 1 MB built to make each pattern family backtrack (long runs of what a
 * pattern's repeated parts accept, with no way to finish the match) must be redacted, and correctly.
 * With a quadratic pattern one of these takes hours (the obfuscated e-mail pattern needed 10-17 s for
 * 40 KB); the timeout is only a safety net far above what a linear pass needs, not a speed assertion.
 */
@Timeout(120)
class RedactorAdversarialTest {

    private static final int MB = 1 << 20;
    private static final Redactor REDACTOR = Redactor.builder().name("Jane Doe").build();

    /** {@code unit} repeated to about 1 MB. */
    private static String mb(String unit) {
        return unit.repeat(MB / unit.length());
    }

    static Stream<String> adversarial() {
        return Stream.of(
                // obfuscated e-mail: local-part runs, "at"/"dot" words and separators, whitespace runs
                "see anecdote: " + mb("a."),
                "dot " + mb("a.a "),
                "x at " + mb("a."),
                "x at " + mb("a dot "),
                mb("a at "),
                mb("a [at] b (dot) "),
                "a" + " ".repeat(MB) + "at",
                "a at" + " ".repeat(MB) + "b dot" + " ".repeat(MB / 2) + "x",
                mb("a.-+%"),
                // plain e-mail
                "a@" + mb("a."),
                mb("a") + "@",
                mb("@a"),
                mb("a.a@"),
                "a@" + mb("a-"),
                // e-mail with letters of other scripts, and look-alike forms folded to ASCII first
                "a@" + mb("\u00fc."),
                mb("\u00fc") + "@",
                "\u00fc@" + mb("\u00fc-"),
                mb("\u00fc.\u00fc@"),
                mb("\uff41\uff0e"),
                "a\uff20" + mb("\uff41\uff0e"),
                mb("\ud835\udc1a"),
                mb("\u0661\u00a0"),
                // IPv4 / IPv6
                mb("1."),
                mb("1.1.1.1."),
                mb(":"),
                "::%" + mb("a") + ":",
                mb("1:"),
                mb("ff::"),
                // cards, phones, long numbers
                mb("4111 "),
                mb("4111."),
                mb("4111-1"),
                mb("1 "),
                mb("(1)"),
                mb("+1-"),
                mb("0/1 "),
                mb("1") + "a",
                // URLs with secrets
                mb("http://"),
                "https://x.example/?" + mb("token=x&"),
                "https://" + mb("a:") + "@",
                // names
                "Jane" + " ".repeat(MB) + "x",
                mb("Jane "),
                // IBAN-like: country, check digits, alphanumerics and single spaces
                mb("DE89 "),
                "DE89" + mb(" 1"),
                mb("DE893704"),
                mb("DE89-"),
                // credentials: keys and separators without values, header and token prefixes, key blocks
                mb("password: "),
                mb("pwd="),
                mb("a:"),
                mb("password is "),
                "password=" + mb("a"),
                mb("Authorization: "),
                "Authorization: Bearer " + mb("a"),
                mb("Bearer "),
                mb("eyJ."),
                "eyJ" + mb("a") + ".",
                mb("-----BEGIN RSA PRIVATE KEY-----") + "-----END RSA PRIVATE KEY-----",
                mb("-----BEGIN RSA PRIVATE KEY-----\n"),
                mb("-----BEGIN "),
                "https://example.com/" + mb("a1b2/"),
                "DE89" + mb("-1"));
    }

    @ParameterizedTest
    @MethodSource("adversarial")
    void aMegabyteBuiltToBacktrackIsRedactedAndTheAddressAfterItToo(String attack) {
        String text = attack + "\ncontact jane.doe@example.com or jane at example dot com, IP 10.1.2.3";

        Redactor.Result res = REDACTOR.redact(text);

        assertThat(res.text()).endsWith("\ncontact [EMAIL] or [EMAIL], IP [IP]");
        assertThat(res.count(Kind.EMAIL)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aCustomPatternThatBacktracksRedactsTheWholeTextInsteadOfHanging() {
        // (a+)+b on a run of a's without a b takes 2^n steps; a lead can write such a pattern without noticing
        Redactor custom = Redactor.builder().pattern("(a+)+b").pattern("EMP-\\d{5}").build();
        String text = "employee EMP-12345 wrote " + "a".repeat(5_000) + "! mail jane.doe@example.com";

        Redactor.Result res = custom.redact(text);

        assertThat(res.text()).isEqualTo("[CUSTOM]");
        assertThat(res.counts()).containsExactly(java.util.Map.entry(Kind.CUSTOM, 1));
        // linear custom patterns still run over a megabyte, however many matches
        Redactor linear = Redactor.builder().pattern("EMP-\\d{5}").pattern("(?i)\\bticket\\s+\\w+").build();
        Redactor.Result big = linear.redact(mb("EMP-12345 Ticket abc text "));
        assertThat(big.text()).doesNotContain("EMP-1").startsWith("[CUSTOM] [CUSTOM] text [CUSTOM]");
        assertThat(big.count(Kind.CUSTOM)).isGreaterThan(70_000);
    }

    @Test
    void theAuditorsBodyIsRedactedWithTheObfuscatedAddressInIt() {
        String body = "see anecdote: " + "a.".repeat(500_000) + " mail jane.doe at example dot com";
        Redactor.Result res = new Redactor().redact(body);
        assertThat(res.text()).isEqualTo("see anecdote: " + "a.".repeat(500_000) + " mail [EMAIL]");
        assertThat(res.counts()).containsExactly(java.util.Map.entry(Kind.EMAIL, 1));
    }

    @Test
    void aMegabyteOfRealisticTextIsRedactedEverywhere() {
        String unit = "Jane Doe (jane.doe@example.com, +49 30 1234 5678, 10.1.2.3) wrote at 2024-03-01: VPN drops. ";
        String text = mb(unit);
        Redactor.Result res = REDACTOR.redact(text);
        int n = MB / unit.length();
        assertThat(res.count(Kind.EMAIL)).isEqualTo(n);
        assertThat(res.count(Kind.PHONE)).isEqualTo(n);
        assertThat(res.count(Kind.IP)).isEqualTo(n);
        assertThat(res.count(Kind.NAME)).isEqualTo(n);
        assertThat(res.text()).doesNotContain("jane").doesNotContain("1234 5678").contains("2024-03-01");
        assertThat(List.of(res.text().split("\\. ")).get(0)).isEqualTo("[NAME] ([EMAIL], [PHONE], [IP]) wrote at 2024-03-01: VPN drops");
    }
}
