package dev.switchboard.inference.redact;

import dev.switchboard.inference.redact.Redactor.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {

    private final Redactor redactor = new Redactor();

    private String r(String s) {
        return redactor.redact(s).text();
    }

    // ---- e-mail -----------------------------------------------------------------------------------

    @Test
    void itsmReceivedFromHeader() {
        var res = redactor.redact("received from: hmjdrvpb.komuaywn@gmail.com\n\nhello team,\nmy outlook is not working.");
        assertThat(res.text()).isEqualTo("received from: [EMAIL]\n\nhello team,\nmy outlook is not working.");
        assertThat(res.counts()).containsExactly(java.util.Map.entry(Kind.EMAIL, 1));
    }

    @Test
    void itsmForwardedMailHeaders() {
        String in = """
                from: Kiran Rao <kiran.rao@company.co.in>
                sent: tuesday, september 20, 2016 10:51 am
                to: helpdesk@company.com; it-ops+urgent@sub.company.com
                subject: erp login locked""";
        var res = redactor.redact(in);
        assertThat(res.text()).contains("from: Kiran Rao <[EMAIL]>")
                .contains("sent: tuesday, september 20, 2016 10:51 am")
                .contains("to: [EMAIL]; [EMAIL]");
        assertThat(res.count(Kind.EMAIL)).isEqualTo(3);
        assertThat(res.count(Kind.PHONE)).isZero();
    }

    @Test
    void obfuscatedEmails() {
        assertThat(r("write to jane.doe at example dot com please")).isEqualTo("write to [EMAIL] please");
        assertThat(r("jane(at)example(dot)org")).isEqualTo("[EMAIL]");
        assertThat(r("mail: jane [at] mail [dot] example [dot] de.")).isEqualTo("mail: [EMAIL].");
        assertThat(r("the meeting is at noon, the server at the dot matrix printer")).doesNotContain("[EMAIL]");
        assertThat(Redactor.builder().obfuscatedEmails(false).build().redact("jane(at)example(dot)org").text())
                .isEqualTo("jane(at)example(dot)org");
    }

    // ---- phone numbers --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"+49 30 1234 5678", "+1 (555) 123-4567", "+44 20 7946 0958", "+49 (0)30 1234567",
            "(555) 123-4567", "555-123-4567", "555.123.4567", "0171 2345678", "030 12345678", "030/1234567",
            "+4915112345678", "0049 89 123456", "07700 900123", "01 23 45 67 89", "123-4567"})
    void phoneNumbersAreRedacted(String phone) {
        var res = redactor.redact("call me on " + phone + " today");
        assertThat(res.text()).isEqualTo("call me on [PHONE] today");
        assertThat(res.count(Kind.PHONE)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-15", "15.01.2024", "01/15/2024", "15-01-2024", "2024/01/15", "12:30:45", "10:51 am",
            "2016-09-20 10:51:00", "version 10.0.19045.2364", "v1.2.3", "Java 21.0.2", "release 2023.3.1",
            "1.2.3.4.5", "Windows 10 22H2", "KB5031356", "INC0012345", "port 8080", "3 of 4", "50% of 200 users",
            "Build 26100.2605"})
    void datesTimesVersionsAndIdsAreNotPhones(String text) {
        var res = redactor.redact("seen " + text + " here");
        assertThat(res.count(Kind.PHONE)).as(text).isZero();
        assertThat(res.text()).isEqualTo("seen " + text + " here");
    }

    @Test
    void phoneNextToPunctuation() {
        assertThat(r("Tel.: 0171 2345678.")).isEqualTo("Tel.: [PHONE].");
        assertThat(r("(mobile: +49 170 1234567)")).isEqualTo("(mobile: [PHONE])");
    }

    // ---- IP addresses -----------------------------------------------------------------------------

    @Test
    void ipv4AndIpv6() {
        var res = redactor.redact("gateway 192.168.0.1, host 10.20.30.40:8443, net 172.16.0.0/12, v6 2001:db8::8a2e:370:7334, "
                + "loopback ::1, link fe80::1ff:fe23:4567:890a%eth0, full 2001:0db8:85a3:0000:0000:8a2e:0370:7334.");
        assertThat(res.text()).isEqualTo("gateway [IP], host [IP], net [IP], v6 [IP], loopback [IP], link [IP], full [IP].");
        assertThat(res.count(Kind.IP)).isEqualTo(7);
    }

    @Test
    void notIps() {
        assertThat(r("at 12:30:45 the MAC 00:1A:2B:3C:4D:5E and version 1.2.3 and 999.1.1.1")).doesNotContain("[IP]");
        assertThat(r("build 10.0.19045.2364.1")).doesNotContain("[IP]");
    }

    // ---- URLs with secrets --------------------------------------------------------------------------

    @Test
    void urlSecretsAreRedactedAndTheRestKept() {
        var res = redactor.redact("reset via https://portal.example.com/reset?token=abc123XYZ&lang=en, thanks");
        assertThat(res.text()).isEqualTo("reset via https://portal.example.com/reset?token=[URL]&lang=en, thanks");
        assertThat(res.count(Kind.URL)).isEqualTo(1);

        assertThat(r("https://bucket.s3.amazonaws.com/f.pdf?X-Amz-Credential=AKIAXYZ%2F2024&X-Amz-Signature=deadbeef&X-Amz-Expires=300"))
                .isEqualTo("https://bucket.s3.amazonaws.com/f.pdf?X-Amz-Credential=[URL]&X-Amz-Signature=[URL]&X-Amz-Expires=300");
        assertThat(r("https://app.example.com/cb#access_token=eyJhbGciOi.eyJzdWIi.sig&state=1"))
                .isEqualTo("https://app.example.com/cb#access_token=[URL]&state=1");
        assertThat(r("clone https://bob:hunter2@git.example.com/repo.git")).isEqualTo("clone https://bob:[URL]@git.example.com/repo.git");
        assertThat(r("see https://wiki.example.com/page?id=42&lang=en.")).isEqualTo("see https://wiki.example.com/page?id=42&lang=en.");
        assertThat(r("GET https://api.example.com/v1?api_key=sk-12345&client_secret=s3cr3t")).isEqualTo(
                "GET https://api.example.com/v1?api_key=[URL]&client_secret=[URL]");
    }

    // ---- numbers ------------------------------------------------------------------------------------

    @Test
    void longDigitRunsAndCards() {
        var res = redactor.redact("account 12345678901, card 4111 1111 1111 1111, card 4111-1111-1111-1111, card 4111111111111111, "
                + "order 1234567 stays, ticket INC0012345 stays");
        assertThat(res.text()).isEqualTo("account [NUMBER], card [NUMBER], card [NUMBER], card [NUMBER], "
                + "order 1234567 stays, ticket INC0012345 stays");
        assertThat(res.count(Kind.NUMBER)).isEqualTo(4);
    }

    @Test
    void luhnDetectsCardsOnly() {
        assertThat(Redactor.luhn("4111111111111111")).isTrue();
        assertThat(Redactor.luhn("4111111111111112")).isFalse();
        // a Luhn-invalid 16-digit group is not a card; it is too long for a phone, and its groups are short: left alone
        assertThat(r("ref 1234 5678 9012 3456")).doesNotContain("[PHONE]");
    }

    // ---- names and custom patterns ------------------------------------------------------------------

    @Test
    void namesCaseInsensitiveWholeWords() {
        Redactor withNames = Redactor.builder().name("Jane Doe").name("Óscar Núñez").build();
        var res = withNames.redact("Hi, this is JANE DOE. Jane's laptop; ask doe or óscar núñez. Janet and Doerr are fine.");
        assertThat(res.text()).isEqualTo("Hi, this is [NAME]. [NAME]'s laptop; ask [NAME] or [NAME]. Janet and Doerr are fine.");
        assertThat(res.count(Kind.NAME)).isEqualTo(4);
    }

    @Test
    void extraNamesPerCall() {
        assertThat(redactor.redact("thanks, Priya", List.of("Priya Sharma")).text()).isEqualTo("thanks, [NAME]");
        assertThat(redactor.redact("name with regex chars", List.of("a.b*")).text()).isEqualTo("name with regex chars");
        assertThat(redactor.redact("user a.b* here", List.of("a.b*")).text()).isEqualTo("user [NAME] here");
    }

    @Test
    void namesSignedUnderAClosingAreRedactedWhoeverSigns() {
        // the requester's name is known; a colleague's or a name the requester field does not carry was kept
        assertThat(r("My laptop won't boot.\nThanks, Carla Dubois\nSenior Accountant | Finance"))
                .isEqualTo("My laptop won't boot.\nThanks, [NAME]\nSenior Accountant | Finance");
        assertThat(r("Outlook hangs.\n\nKind regards,\n\nMaria\n\nSent from my iPhone"))
                .isEqualTo("Outlook hangs.\n\nKind regards,\n\n[NAME]\n\nSent from my iPhone");
        assertThat(r("Drucker offline.\r\nMit freundlichen Grüßen\r\nJürgen M. Müller\r\nTel. intern"))
                .isEqualTo("Drucker offline.\r\nMit freundlichen Grüßen\r\n[NAME]\r\nTel. intern");
        assertThat(r("Please have a look. Thanks for your help!\nJohn")).isEqualTo("Please have a look. Thanks for your help!\n[NAME]");
        assertThat(r("> Cordialement,\n> Élodie Lefèvre")).isEqualTo("> Cordialement,\n> [NAME]");
        assertThat(r("VPN drops every hour. Thanks, Priya")).isEqualTo("VPN drops every hour. Thanks, [NAME]");
        var res = redactor.redact("Gruß\nMax\n\nAnd Regards,\nAnna Lee");
        assertThat(res.text()).isEqualTo("Gruß\n[NAME]\n\nAnd Regards,\nAnna Lee"); // "And Regards" is no closing
        assertThat(res.count(Kind.NAME)).isEqualTo(1);
    }

    @Test
    void aClosingFollowedByTextIsNotASignature() {
        for (String kept : List.of(
                "Thanks, Outlook crashed again after the update",
                "thanks for checking the VPN config",
                "Best practice says: Reboot First and then wait",
                "Regards\nthe printer on floor 3 is still broken",
                "I said thanks John Smith", // not at the start of a line or a sentence
                "Thanks,\nPrinter 3 is jammed",
                "Cheers\n\n\n\n\nBob", // more than three lines below
                "Thanksgiving\nParty Room")) {
            assertThat(r(kept)).as(kept).isEqualTo(kept);
        }
    }

    @Test
    void streetAddressesWithTheirTown() {
        assertThat(r("Bitte an Hauptstraße 5, 10115 Berlin liefern.")).isEqualTo("Bitte an [ADDRESS] liefern.");
        assertThat(r("Adresse: Lindenweg 12a")).isEqualTo("Adresse: [ADDRESS]");
        assertThat(r("ship it to 221B Baker Street, London. Thanks")).isEqualTo("ship it to [ADDRESS], London. Thanks");
        assertThat(r("home: 1600 Pennsylvania Ave, Washington, DC 20500")).isEqualTo("home: [ADDRESS]");
        assertThat(r("chez moi, 12 rue de la Paix 75002 Paris")).isEqualTo("chez moi, [ADDRESS]");
        var res = redactor.redact("Musterstr. 7 and 44 Elm Road");
        assertThat(res.text()).isEqualTo("[ADDRESS] and [ADDRESS]");
        assertThat(res.count(Kind.ADDRESS)).isEqualTo(2);
    }

    @Test
    void roomsFloorsAndVersionsAreNoAddresses() {
        for (String kept : List.of("Arbeitsplatz 12 im 3. OG", "printer on floor 3 of Building 2", "room 4 Main Hall",
                "Windows 10 Pro", "I have 2 places left", "Lösung: 3 Schritte", "Office 365 Business Premium")) {
            assertThat(r(kept)).as(kept).isEqualTo(kept);
        }
    }

    @Test
    void customPatterns() {
        Redactor custom = Redactor.builder().pattern("EMP-\\d{5}").pattern("(?i)badge\\s*#?\\d+").build();
        var res = custom.redact("employee EMP-12345 with Badge #778 called");
        assertThat(res.text()).isEqualTo("employee [CUSTOM] with [CUSTOM] called");
        assertThat(res.count(Kind.CUSTOM)).isEqualTo(2);
    }

    // ---- everything together --------------------------------------------------------------------

    @Test
    void itsmTicketWithEverything() {
        Redactor rd = Redactor.builder().name("Kiran Rao").build();
        String in = """
                received from: kiran.rao@company.com

                hello team,
                i am unable to log in to erp since 2016-09-20 10:51. my user id is 40012345 and my phone is +91 98765 43210.
                the vpn gateway 10.16.4.1 rejects me. reset link: https://erp.company.com/reset?user=krao&token=Zx81kLm
                thanks, kiran""";
        var res = rd.redact(in);
        assertThat(res.text()).isEqualTo("""
                received from: [EMAIL]

                hello team,
                i am unable to log in to erp since 2016-09-20 10:51. my user id is [NUMBER] and my phone is [PHONE].
                the vpn gateway [IP] rejects me. reset link: https://erp.company.com/reset?user=krao&token=[URL]
                thanks, [NAME]""");
        assertThat(res.counts()).containsEntry(Kind.EMAIL, 1).containsEntry(Kind.NUMBER, 1).containsEntry(Kind.PHONE, 1)
                .containsEntry(Kind.IP, 1).containsEntry(Kind.URL, 1).containsEntry(Kind.NAME, 1);
        assertThat(res.total()).isEqualTo(6);
    }

    // ---- invisible characters ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"\u200B", "\u200C", "\u200D", "\u2060", "\u00AD", "\uFEFF", "\u200E", "\u200F", "\u202A",
            "\u202E", "\u2066", "\u2069", "\u180E", "\u2063", "\uDB40\uDC41", "\u200B\u200B\u2060", "\u0000", "\u0085",
            "\uFFFD", "\u001B"})
    void invisibleCharactersInsidePersonalDataDoNotHideIt(String inv) {
        Redactor withName = Redactor.builder().name("Jane Doe").build();
        var res = withName.redact("from jane.doe" + inv + "@example.com, IBAN DE89" + inv + "370400440532013000, call +49 30"
                + inv + "1234 5678, card 41" + inv + "11 1111 1111 1111, signed Ja" + inv + "ne Doe, IP 10.1" + inv + ".2.3");
        assertThat(res.text()).isEqualTo("from [EMAIL], IBAN [IBAN], call [PHONE], card [NUMBER], signed [NAME], IP [IP]");
        assertThat(r("jane.doe" + inv + "@example.com")).isEqualTo("[EMAIL]");
    }

    @Test
    void joinersAndSelectorsBetweenNonAsciiCharactersStayAndBinaryStaysBinary() {
        String emoji = "done \uD83D\uDC69\u200D\uD83D\uDCBB \u2764\uFE0F ok";
        assertThat(r(emoji)).isEqualTo(emoji);
        String persian = "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645";
        assertThat(r(persian)).isEqualTo(persian);
        String binary = "PK\u0003\u0004\u0014\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000 \uFFFD\uFFFD";
        assertThat(r(binary)).isEqualTo(binary);
        assertThat(Redactor.stripInvisible("a\u00ADb \u200Bc\u200D")).isEqualTo("ab c");
    }

    @Test
    void addressesWithLettersOfOtherScriptsAreRedactedWhole() {
        assertThat(r("write to info@müller.de or müller@beispiel.de")).isEqualTo("write to [EMAIL] or [EMAIL]");
        assertThat(r("Письмо от иван.петров@почта.рф пришло")).isEqualTo("Письмо от [EMAIL] пришло");
        assertThat(r("jane_doe@example.com, ops@xn--bcher-kva.example")).isEqualTo("[EMAIL], [EMAIL]");
        // in a script written without spaces the run before '@' is the sentence: it is not taken as the address
        assertThat(r("请联系张三@example.com谢谢")).isEqualTo("请联系张三@example.com谢谢");
        // the text after an address in such a script is not taken as its top-level domain
        assertThat(r("请联系 support@example.com谢谢您的帮助")).isEqualTo("请联系 [EMAIL]谢谢您的帮助");
        assertThat(r("support@example.comまでご連絡ください")).isEqualTo("[EMAIL]までご連絡ください");
        // still no address: no dot before a top-level domain, or a one-letter one
        assertThat(r("x@localhost and a@b.c.d.e")).isEqualTo("x@localhost and a@b.c.d.e");
    }

    @Test
    void lookAlikeFormsAreFoldedSoNoPatternMissesThem() {
        // full-width at-sign and dot, mathematical bold letters
        assertThat(r("mail jane\uFF20example\uFF0Ecom now")).isEqualTo("mail [EMAIL] now");
        assertThat(r("\uD835\uDC23\uD835\uDC1A\uD835\uDC27\uD835\uDC1E@example.com")).isEqualTo("[EMAIL]");
        // full-width and Arabic-Indic digits, numbers grouped with no-break and ideographic spaces
        assertThat(r("call \uFF10\uFF13\uFF10 \uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17")).isEqualTo("call [PHONE]");
        assertThat(r("call +49\u00A030\u00A01234\u00A05678 or +49\u202F30\u3000123456")).isEqualTo("call [PHONE] or [PHONE]");
        assertThat(r("IP \u0661\u0660.\u0661.\u0662.\u0663")).isEqualTo("IP [IP]");
        assertThat(r("\uFF24\uFF25\uFF18\uFF19 \uFF13\uFF17\uFF10\uFF14 \uFF10\uFF10\uFF14\uFF14 \uFF10\uFF15\uFF13\uFF12 "
                + "\uFF10\uFF11\uFF13\uFF10 \uFF10\uFF10")).isEqualTo("[IBAN]");
        // a line separator ends a line as a line feed does
        assertThat(r("Tel.\u2028030 1234567")).isEqualTo("Tel.\n[PHONE]");
        // text without such characters is returned as it is; the folding keeps everything else
        String plain = "VPN drops every 10 minutes since 2024-03-01";
        assertThat(Redactor.foldLookalikes(plain)).isSameAs(plain);
        assertThat(Redactor.foldLookalikes("Größe ３ – 日本語テキスト")).isEqualTo("Größe 3 – 日本語テキスト");
        // CJK punctuation is not an address's: it stays as written
        assertThat(Redactor.foldLookalikes("（注意）価格は１，０００円です！")).isEqualTo("（注意）価格は1，000円です！");
    }

    // ---- credentials ------------------------------------------------------------------------------

    @Test
    void credentialsWrittenInTheTextAreRedactedAndTheirKeysKept() {
        assertThat(r("user jdoe, password: hunter2, pwd=Summer2024! passwd: Tr0ub4dor&3"))
                .isEqualTo("user jdoe, password: [SECRET], pwd=[SECRET] passwd: [SECRET]");
        assertThat(r("Passwort: Geheim123. Die neue PIN ist 4821, Kennwort lautet Abc!23"))
                .isEqualTo("Passwort: [SECRET]. Die neue PIN ist [SECRET], Kennwort lautet [SECRET]");
        assertThat(r("new PIN is 4821; wifi password was W1f1-pass")).isEqualTo("new PIN is [SECRET]; wifi password was [SECRET]");
        assertThat(r("spring.datasource.password=s3cr3t DB_PASSWORD='p a s s' api_key=\"k-1\" token=abcd1234efgh5678"))
                .isEqualTo("spring.datasource.password=[SECRET] DB_PASSWORD=[SECRET] api_key=[SECRET] token=[SECRET]");
        // JSON and YAML keys
        assertThat(r("{\"user\": \"bob\", \"password\": \"hunter2\", 'api_key': 'k9'}"))
                .isEqualTo("{\"user\": \"bob\", \"password\": [SECRET], 'api_key': [SECRET]}");
        var res = redactor.redact("curl -H \"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln\" and "
                + "Authorization: Basic dXNlcjpwYXNzd29yZA==");
        assertThat(res.text()).isEqualTo("curl -H \"Authorization: Bearer [SECRET]\" and Authorization: Basic [SECRET]");
        assertThat(res.counts()).containsExactly(java.util.Map.entry(Kind.SECRET, 2));
        // tokens of well-known formats, wherever they are
        assertThat(r("keys AKIAIOSFODNN7EXAMPLE ghp_abcdefghijklmnopqrstuvwxyz0123456789AB sk-proj-abcdefghijklmnopqrstuvwxyz123 "
                + "xoxb-1234567890-abcdefghij and eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"))
                .isEqualTo("keys [SECRET] [SECRET] [SECRET] [SECRET] and [SECRET]");
        assertThat(r("key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nthanks"))
                .isEqualTo("key:\n[SECRET]\nthanks");
        // a block cut before its END: the base64 lines after BEGIN go, the prose after them stays
        // long values go whole, quoted or not
        String longKey = "k".repeat(150) + "9".repeat(150);
        assertThat(r("api_key=" + longKey + " end")).isEqualTo("api_key=[SECRET] end");
        assertThat(r("{\"password\": \"" + longKey + "\"}")).isEqualTo("{\"password\": [SECRET]}");
        // a configuration key takes any value; a prose word needs a secret-looking one
        assertThat(r("DB_PASSWORD=letmein and Password: letmein9")).isEqualTo("DB_PASSWORD=[SECRET] and Password: [SECRET]");
        assertThat(r("pasted -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAA=\nwhat is wrong?"))
                .isEqualTo("pasted [SECRET]\nwhat is wrong?");
    }

    @Test
    void errorCodesAndOrderNumbersAreNotPersonalDataAndAssetNumbersNoPhones() {
        for (String id : List.of("err -2147467259 on save", "PO-4500012345 is late", "HRESULT 0x80070005")) {
            assertThat(r(id)).as(id).isEqualTo(id);
        }
        // no country code starts with 0: a long number led by 000 is a number (may be an id), not a phone
        assertThat(r("asset 00012345 broken")).isEqualTo("asset [NUMBER] broken");
        // but a number dialled out with 00 is still a phone number, and a bare account number still a number
        assertThat(r("call 0049 30 1234567, account 40012345")).isEqualTo("call [PHONE], account [NUMBER]");
    }

    @Test
    void proseAboutPasswordsIsNotACredential() {
        for (String prose : List.of("my password is expired", "password is not working, reset it", "password reset: user jdoe",
                "the secret is out.", "Subject: outlook: not working", "KB5031356 version: 10.0.19045", "spin: 3 rounds",
                "reset the token. thanks", "pin is blocked", "Password: reset requested by user", "PIN: blocked after 3 attempts",
                "Token: expired yesterday", "Authorization: pending approval from manager", "API rejects Bearer authentication",
                "The token is 5 minutes old")) {
            assertThat(r(prose)).as(prose).isEqualTo(prose);
        }
    }

    @Test
    void capabilityTokensInUrlPathsAreRedacted() {
        assertThat(r("see https://hooks.slack.com/services/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 now"))
                .isEqualTo("see https://hooks.slack.com/services/T00A1B2C3/B04D5E6F7/[URL] now");
        assertThat(r("https://files.example.com/share/8f14e45fceea167a5a36dedd4bea2543.")).isEqualTo("https://files.example.com/share/[URL].");
        for (String url : List.of("https://wiki.example.com/kb/reset-password-2024/steps", "https://issues.apache.org/jira/browse/HADOOP-16912",
                "https://github.com/apache/hadoop/commit/2c5fa0e1b3d4", "https://example.com/releases/v10.0.19045.2364/notes")) {
            assertThat(r(url)).as(url).isEqualTo(url);
        }
    }

    // ---- IBANs ------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"DE89370400440532013000", "DE89 3704 0044 0532 0130 00", "de89 3704 0044 0532 0130 00",
            "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", "FR1420041010050500013M02606", "FR14 2004 1010 0505 0001 3M02 606",
            "NO93 8601 1117 947", "CH93 0076 2011 6238 5295 7", "DE89-3704-0044-0532-0130-00", "GB82-WEST-1234-5698-7654-32"})
    void ibansAreRedacted(String iban) {
        var res = redactor.redact("pay to " + iban + ", thanks");
        assertThat(res.text()).isEqualTo("pay to [IBAN], thanks");
        assertThat(res.counts()).containsExactly(java.util.Map.entry(Kind.IBAN, 1));
    }

    @Test
    void anIbanIsFoundInsideLongerRunsAndOnlyWithAValidCheck() {
        assertThat(r("IBAN: DE89 3704 0044 0532 0130 00 1234 ref")).isEqualTo("IBAN: [IBAN] 1234 ref");
        assertThat(r("IBAN:DE89370400440532013000.")).isEqualTo("IBAN:[IBAN].");
        assertThat(r("XX12 DE89 3704 0044 0532 0130 00")).isEqualTo("XX12 [IBAN]");
        // wrong check digits, unknown country, wrong length for the country, hashes and keys: left alone
        for (String not : List.of("DE89370400440532013001", "DE88 3704 0044 0532 0130 00", "AB12 3456 7890 1234 5678",
                "DE89370400440532013000X", "DE8937040044053201300", "d41d8cd98f00b204e9800998ecf8427e", "KB5031356 and INC0012345",
                "Windows 10 22H2 build 19045")) {
            assertThat(redactor.redact("see " + not + " here").count(Kind.IBAN)).as(not).isZero();
        }
        assertThat(Redactor.ibanLength("DE89370400440532013000")).isEqualTo(22);
        assertThat(Redactor.mod97("GB82WEST12345698765432")).isEqualTo(1);
    }

    // ---- cards with dots, phones after a label ------------------------------------------------------

    @Test
    void cardsSeparatedByDotsAreRedactedWhenLuhnValid() {
        assertThat(r("card 4111.1111.1111.1111.")).isEqualTo("card [NUMBER].");
        assertThat(r("card 4111.1111.1111.1112 stays")).doesNotContain("[NUMBER]");
        assertThat(r("version 10.0.19045.2364 stays")).isEqualTo("version 10.0.19045.2364 stays");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Tel.|030/1234567", "Tel:|030/1234567", "tel.:|+49 30 1234567", "Fax.|030-1234567",
            "Mobil:|0171 2345678", "Phone:|+1 (555) 123-4567"})
    void phonesRightAfterALabelAreRedacted(String label, String phone) {
        assertThat(r("reach me: " + label + phone + " today")).isEqualTo("reach me: " + label + "[PHONE] today");
    }

    @ParameterizedTest
    @ValueSource(strings = {"released 2024/03/01", "version 3.3.4", "Tel.2024/03/01", "Tel.3.3.4", "v.3.3.4", "Hotel.030/1234567",
            "p.030/1234567", "ver.2024/03/01", "Ref.1234567", "Tel.2024-03-01", "Tel.15.01.2024"})
    void datesAndVersionsAfterALabelOrADotAreNotPhones(String text) {
        var res = redactor.redact("seen " + text + " here");
        assertThat(res.count(Kind.PHONE)).as(text).isZero();
        assertThat(res.text()).isEqualTo("seen " + text + " here");
    }

    @Test
    void emptyAndNullAreSafe() {
        assertThat(redactor.redact(null).text()).isEmpty();
        assertThat(redactor.redact("").counts()).isEmpty();
        assertThat(redactor.redact("nothing personal here").counts()).isEmpty();
    }

    @Test
    void hugeInputStaysFast() {
        String big = "printer on floor 3 is offline again, error 0x0000011b, see KB5005565. ".repeat(5000);
        long t0 = System.nanoTime();
        var res = redactor.redact(big + " contact a@b.io");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(res.count(Kind.EMAIL)).isEqualTo(1);
        assertThat(ms).isLessThan(2000);
    }
}
