package dev.switchboard.inference.redact;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in ticket text with placeholder tokens and counts what it replaced.
 *
 * <p>Invisible format characters (zero-width space, joiner and non-joiner, word joiner, soft hyphen,
 * byte order mark, bidirectional controls, tag characters…) are removed first, so that
 * {@code jane.doe<U+200B>@example.com} cannot slip through as two harmless halves and be joined again
 * later; zero-width joiners, non-joiners and variation selectors between two non-ASCII characters
 * stay (emoji sequences, Persian and Indic spelling). See {@link #stripInvisible}. Then full-width and
 * other look-alike forms of ASCII characters, digits of other scripts and unusual spaces are folded to
 * ASCII ({@link #foldLookalikes}).
 *
 * <p>Order of passes (earlier passes win, so an e-mail inside a URL is not counted twice): custom
 * patterns, secrets in URLs, e-mail addresses (plain, also with letters of other scripts such as
 * {@code müller@bücher.de}, and, optionally, obfuscated "name at domain dot
 * com"), IBANs (ISO 13616: country, check digits and account, plain or grouped by spaces, with the
 * country's length and a valid mod-97 check), IPv4/IPv6 addresses, card numbers (Luhn-valid, groups
 * separated by spaces, hyphens or dots), phone numbers, long digit runs, then names, then names signed under a closing
 * ({@link #SIGN_OFF}).
 *
 * <p>Phone numbers are only recognised with a leading {@code +}, parentheses or separators
 * (space, dot, hyphen, the German {@code 030/1234567}), at least 7 digits and at most 15, not glued
 * to a word or number before them except a label such as {@code Tel.} or {@code Fax:}; dates
 * ({@code 2024-01-15}, {@code 15.01.2024}, {@code 01/15/2024}), times, versions
 * ({@code 10.0.19045.2364}) and IPs are not phone numbers. Instances are immutable and thread-safe.
 */
public final class Redactor {

    /** What was redacted, with the token that replaces it. */
    public enum Kind {
        EMAIL("[EMAIL]"), PHONE("[PHONE]"), IP("[IP]"),
        /** A secret carried in a URL (query/fragment parameter value or password); the rest of the URL stays. */
        URL("[URL]"),
        NUMBER("[NUMBER]"),
        /**
         * A credential written in the text: the value after "password:", "pwd=", "PIN is", "api_key=",
         * "Authorization: Bearer", and tokens of well-known formats (AWS access key ids, GitHub, GitLab,
         * Slack and OpenAI-style keys, JSON Web Tokens, private key blocks).
         */
        SECRET("[SECRET]"),
        /** An international bank account number (country length and mod-97 check verified). */
        IBAN("[IBAN]"),
        NAME("[NAME]"),
        /** A street address: "Hauptstraße 5, 10115 Berlin", "221B Baker Street", "12 rue de la Paix, 75002 Paris". */
        ADDRESS("[ADDRESS]"),
        CUSTOM("[CUSTOM]");

        private final String token;

        Kind(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }
    }

    /** Redacted text and how many replacements of each kind were made (kinds with zero are absent). */
    public record Result(String text, Map<Kind, Integer> counts) {
        public Result {
            counts = Collections.unmodifiableMap(new EnumMap<>(counts.isEmpty() ? new EnumMap<>(Kind.class) : counts));
        }

        public int count(Kind kind) {
            return counts.getOrDefault(kind, 0);
        }

        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    // ---- patterns -------------------------------------------------------------------------

    private static final Pattern URL_PATTERN = Pattern.compile(
            "\\b(?:https?|ftp)://[^\\s<>\"'`]+", Pattern.CASE_INSENSITIVE);

    /** Query or fragment parameters whose value is a secret. Matched case-insensitively on the whole name. */
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)(?:^|[-_.])(?:token|access_?token|refresh_?token|id_?token|auth|authorization|key|api_?key|apikey|"
                    + "secret|client_?secret|password|passwd|pwd|pass|sig|signature|code|session|sessionid|sid|jwt|"
                    + "credential|x-amz-signature|x-amz-credential|x-amz-security-token|otp)$");

    /**
     * At most this many domain labels before the top-level one. Java runs a repeated group by recursion,
     * one level per repetition: an unbounded one overflows the stack on "a@a.a.a.a…" (a StackOverflowError
     * kills the thread). Real domains have a handful; a longer chain still loses its local part.
     */
    private static final int MAX_LABELS = 30;

    /** Scripts written without spaces (Han, Kana, Hangul, Thai): there the run before an '@' is the sentence. */
    private static final String UNSPACED = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}\\p{IsThai}";
    /**
     * A letter or digit of an address: ASCII or any other script's (internationalised addresses,
     * "müller@beispiel.de", "info@bücher.de"), except {@link #UNSPACED} scripts. Single classes, so that a
     * run of them is matched by iteration, not by one level of recursion per character.
     */
    private static final String ALNUM = "[\\p{L}\\p{Nd}&&[^" + UNSPACED + "]]";
    private static final String LOCAL = "[[\\p{L}\\p{Nd}_.%+\\-]&&[^" + UNSPACED + "]]";
    private static final String LABEL = "[[\\p{L}\\p{Nd}\\-]&&[^" + UNSPACED + "]]";

    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.%+-]|" + ALNUM + ")" + ALNUM + LOCAL + "*@" + ALNUM + "(?:" + LABEL + "*" + ALNUM + ")?"
                    + "(?:\\." + ALNUM + "(?:" + LABEL + "*" + ALNUM + ")?){0," + MAX_LABELS + "}"
                    + "\\.(?:xn--[A-Za-z0-9-]{1,59}|[\\p{L}&&[^" + UNSPACED + "]]{2,24})(?![\\w]|" + ALNUM + ")");

    /** " at ", "[at]", "(at)", "{at}": whitespace runs are taken possessively, so a long run is not split in every way. */
    private static final String OBF_AT = "\\s*+(?:\\[\\s*+at\\s*+\\]|\\(\\s*+at\\s*+\\)|\\{\\s*+at\\s*+\\}|(?<=\\s)at\\s++)\\s*+";
    /** " dot ", "[dot]", "(dot)", "{dot}" (the separator before the top-level domain). */
    private static final String OBF_DOT = "\\s*+(?:\\[\\s*+dot\\s*+\\]|\\(\\s*+dot\\s*+\\)|\\{\\s*+dot\\s*+\\}|(?<=\\s)dot\\s++)\\s*+";
    /** The same or a plain '.' (between other labels). */
    private static final String OBF_SEP = "\\s*+(?:\\[\\s*+dot\\s*+\\]|\\(\\s*+dot\\s*+\\)|\\{\\s*+dot\\s*+\\}|(?<=\\s)dot\\s++|\\.)\\s*+";

    /**
     * "jane.doe [at] example [dot] com", "jane(at)example(dot)com", "jane at example dot com".
     *
     * <p>Linear time: the local part and each label are possessive (what follows them, whitespace, a
     * bracket or '.', is never in their class, so giving characters back could not help), every
     * whitespace run is possessive, the labels are at most {@link #MAX_LABELS}, and the pass tries the
     * pattern only at the first letter or digit of a run of local-part characters
     * ({@link #obfuscatedEmailCanStart}), so a long run such as "a.a.a.a…" is scanned once, not once per letter.
     */
    private static final Pattern OBFUSCATED_EMAIL = Pattern.compile(
            "(?i)\\b[a-z0-9][a-z0-9._%+-]*+" + OBF_AT + "[a-z0-9-]++(?:" + OBF_SEP + "[a-z0-9-]++){0," + MAX_LABELS + "}" + OBF_DOT
                    + "(?:com|org|net|edu|gov|mil|int|io|co|uk|de|fr|nl|es|it|ch|at|be|se|no|dk|fi|pl|cz|ie|pt|us|ca|au|nz|in|jp|cn|info|biz)\\b");

    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4_OCTETS = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
    /** Cheap candidate; octets are checked by {@link #isIpv4}. */
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\w.])\\d{1,3}(?:\\.\\d{1,3}){3}(?:/\\d{1,2})?(?::\\d{1,5})?(?![\\w]|\\.\\d)");

    /** Candidates for IPv6; each is validated by {@link #isIpv6}. */
    private static final Pattern IPV6_CANDIDATE = Pattern.compile(
            "(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|" + OCTET + "(?:\\." + OCTET + "){3})(?:%\\w+)?(?:/\\d{1,3})?(?![\\w:])");

    /**
     * Card-like groups: 13–19 digits in groups separated by spaces or hyphens, or by dots only
     * ({@code 4111.1111.1111.1111}); Luhn-checked.
     */
    private static final Pattern CARD = Pattern.compile(
            "(?<![\\w.+-])\\d{4}(?:(?:[ -]\\d{2,6}){2,4}|(?:\\.\\d{2,6}){2,4})(?![\\w]|[.-]\\d)");

    /**
     * IBAN candidates: two letters, two digits, then 11 to 30 letters or digits, each optionally after
     * one space or hyphen; checked by {@link #ibanLength}. The repetition is bounded and unambiguous (a
     * separator can only be taken by the optional separator), so a start costs at most 30 steps.
     */
    private static final Pattern IBAN_CANDIDATE = Pattern.compile(
            "(?<![A-Za-z0-9])[A-Za-z]{2}\\d{2}(?:[ -]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])");

    /** IBAN length by country (SWIFT IBAN registry, plus the French overseas codes that use the French format). */
    private static final Map<String, Integer> IBAN_LENGTHS = ibanLengths(
            "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 "
                    + "EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 "
                    + "JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 "
                    + "NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 "
                    + "TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30 "
                    + "BL27 GF27 GP27 MF27 MQ27 NC27 PF27 PM27 RE27 TF27 WF27 YT27");

    /**
     * Phone candidates; filtered by {@link #looksLikePhone}. What may come before one (no word
     * character and none of {@code .+/:-}, except after a label such as "Tel." or "Fax:") is checked
     * by {@link #phoneCanStart}, the only way this pattern is tried.
     */
    private static final Pattern PHONE_CANDIDATE = Pattern.compile(
            "(?:\\+|00)?\\(?\\d[\\d \\t().\\-/]{5,22}\\d(?![\\w]|[.:/-]\\d)");
    /** Labels after which a phone number may follow a '.' or ':' directly ("Tel.030/1234567", "Fax:+49 …"). */
    private static final Set<String> PHONE_LABELS = Set.of("tel", "tele", "telefon", "telephone", "phone", "ph", "fon",
            "fax", "mobil", "mobile", "mob", "handy", "cell");

    private static final String DAY = "(?:0?[1-9]|[12]\\d|3[01])";
    private static final String MONTH = "(?:0?[1-9]|1[0-2])";
    /** A date with a four-digit year anywhere in a candidate. */
    private static final Pattern DATE_YYYY = Pattern.compile("(?<!\\d)(?:\\d{4}[-./]" + MONTH + "[-./]" + DAY + "|"
            + DAY + "[-./]" + MONTH + "[-./]\\d{4}|" + MONTH + "[-./]" + DAY + "[-./]\\d{4})(?!\\d)");
    /** A whole candidate that is a date with a two-digit year. */
    private static final Pattern DATE_YY = Pattern.compile(DAY + "([-./])" + MONTH + "\\1\\d{2}|" + MONTH + "([-./])" + DAY + "\\2\\d{2}");

    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z]+://[^/@:\\s]+):([^/@\\s]+)@");
    private static final Pattern HAS_SEPARATOR = Pattern.compile("[\\s().\\-/]");
    private static final Pattern SLASH_PHONE = Pattern.compile("\\(?0\\d{1,4}\\)?\\s?/\\s?\\d[\\d \\-]{3,}");
    private static final Pattern DOUBLE_SPACE = Pattern.compile("\\s{2,}");
    private static final Pattern LEADING_PLUS_PAREN = Pattern.compile("^[+(]+");
    private static final Pattern GROUP_SPLIT = Pattern.compile("[\\s().\\-/]+");
    private static final Pattern DOTS_ONLY = Pattern.compile("[\\d.]+");
    private static final Pattern NANP_DOTS = Pattern.compile("\\d{3}\\.\\d{3}\\.\\d{4}|\\d{2}(?:\\.\\d{2}){4}");
    private static final Pattern WS = Pattern.compile("\\s+");

    /**
     * "key: value", "key=value", "key is value" where the key may name a credential (checked by
     * {@link #isCredentialKey}); group 1 the key, 2 the separator, 3 the value. Linear: a key is tried only at
     * the start of a run of key characters, read possessively and at most 64 long, and the value is bounded.
     */
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?<![\\w.-])([A-Za-z][\\w.-]{0,63}+)([\"']?+[ \\t]*+(?::=|[:=])[ \\t]*+|[ \\t]++(?i:lautet|ist|is|was|war)(?!\\w)[ \\t]*+:?[ \\t]*+)"
                    + "(\"[^\"\\n]{1,4096}+\"|'[^'\\n]{1,4096}+'|[\"']?+[^\\s,;'\"<>\\[\\]]{1,4096}+)");
    /** The last word of a key (letters and digits only, lower case) that names a credential. */
    private static final List<String> CREDENTIAL_KEYS = List.of("password", "passwort", "passwd", "pwd", "passcode",
            "passphrase", "kennwort", "pin", "secret", "token", "apikey", "accesskey", "secretkey", "privatekey",
            "credential", "credentials");
    /** An Authorization header's credentials (group 1), after the scheme when there is one. */
    private static final Pattern AUTH_HEADER = Pattern.compile(
            "(?i)(?<![\\w-])(?:proxy-)?authorization[ \\t]*+:[ \\t]*+(?:(?:bearer|basic|token|digest|negotiate|ntlm|apikey)[ \\t]++)?"
                    + "([^\\s,;'\"]{1,4096}+)");
    /** "Bearer <token>" anywhere. */
    private static final Pattern BEARER = Pattern.compile("(?i)(?<![\\w-])bearer[ \\t]++([A-Za-z0-9._~+/=-]{8,4096}+)");
    /** Tokens whose format gives them away, wherever they are. */
    private static final Pattern KNOWN_TOKEN = Pattern.compile(
            "(?<![\\w-])(?:(?:AKIA|ASIA)[0-9A-Z]{16}+|gh[pousr]_[A-Za-z0-9]{30,255}+|github_pat_[A-Za-z0-9_]{20,255}+"
                    + "|glpat-[A-Za-z0-9_-]{20,255}+|xox[abprs]-[A-Za-z0-9-]{10,255}+|sk-(?:proj-|live-|test-)?[A-Za-z0-9_-]{20,255}+"
                    + "|eyJ[A-Za-z0-9_-]{5,4096}+\\.[A-Za-z0-9_-]{5,4096}+\\.[A-Za-z0-9_-]{0,4096}+)(?![\\w-])");
    private static final String KEY_BEGIN = "-----BEGIN";
    private static final Pattern PRIVATE_KEY_BEGIN = Pattern.compile("-----BEGIN (?:[A-Z0-9]{1,12}+ ){0,3}PRIVATE KEY-----");
    private static final Pattern PRIVATE_KEY_END = Pattern.compile("-----END (?:[A-Z0-9]{1,12}+ ){0,3}PRIVATE KEY-----");

    private static final Pattern LONG_DIGITS = Pattern.compile("(?<![\\w.-])\\d{8,}(?![\\w]|\\.\\d)");

    // ---- configuration --------------------------------------------------------------------

    private final List<Pattern> customPatterns;
    private final List<String> names;
    private final boolean obfuscatedEmails;
    private final boolean luhnCards;

    private Redactor(Builder b) {
        this.customPatterns = List.copyOf(b.customPatterns);
        this.names = List.copyOf(b.names);
        this.obfuscatedEmails = b.obfuscatedEmails;
        this.luhnCards = b.luhnCards;
    }

    /** A redactor with every built-in pass and no names or custom patterns. */
    public Redactor() {
        this(new Builder());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy with extra names (for example the requester of one ticket). */
    public Redactor withNames(Collection<String> extraNames) {
        Builder b = toBuilder();
        b.names(extraNames);
        return b.build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.customPatterns.addAll(customPatterns);
        b.names.addAll(names);
        b.obfuscatedEmails = obfuscatedEmails;
        b.luhnCards = luhnCards;
        return b;
    }

    public static final class Builder {
        private final List<Pattern> customPatterns = new ArrayList<>();
        private final Set<String> names = new LinkedHashSet<>();
        private boolean obfuscatedEmails = true;
        private boolean luhnCards = true;

        /** Adds a lead-defined pattern; its matches become {@code [CUSTOM]}. */
        public Builder pattern(String regex) {
            customPatterns.add(Pattern.compile(regex));
            return this;
        }

        public Builder pattern(Pattern pattern) {
            customPatterns.add(Objects.requireNonNull(pattern));
            return this;
        }

        /** Names to replace wherever they appear (case-insensitive, whole words); full names also by part. */
        public Builder names(Collection<String> given) {
            if (given != null) {
                for (String n : given) {
                    if (n != null && !n.isBlank()) names.add(n.strip().replaceAll("\\s+", " "));
                }
            }
            return this;
        }

        public Builder name(String name) {
            return names(List.of(name));
        }

        public Builder obfuscatedEmails(boolean on) {
            this.obfuscatedEmails = on;
            return this;
        }

        /** Redact separated 13–19 digit groups that pass the Luhn check as {@code [NUMBER]} (default on). */
        public Builder luhnCards(boolean on) {
            this.luhnCards = on;
            return this;
        }

        public Redactor build() {
            return new Redactor(this);
        }
    }

    // ---- redaction ------------------------------------------------------------------------

    public Result redact(String text) {
        return redact(text, List.of());
    }

    /** Redacts with this redactor's names plus {@code extraNames} (for example the ticket's requester). */
    public Result redact(String text, Collection<String> extraNames) {
        if (text == null || text.isEmpty()) return new Result(text == null ? "" : text, Map.of());
        EnumMap<Kind, Integer> counts = new EnumMap<>(Kind.class);
        String s = foldLookalikes(stripInvisible(text));
        for (Pattern p : customPatterns) {
            try {
                s = replaceCustom(s, p, counts);
            } catch (TooSlow e) {
                // fail closed: the lead asked for this pattern's matches to go, and it could not be run to the end
                counts.merge(Kind.CUSTOM, 1, Integer::sum);
                return new Result(Kind.CUSTOM.token(), counts);
            }
        }
        // cheap pre-checks skip passes that cannot match
        if (s.contains("://")) s = redactUrlSecrets(s, counts);
        s = redactCredentials(s, counts);
        // The built-in passes try the pattern only where a cheap test says a match can start (same
        // matches as Matcher.find over the whole text, far fewer attempts), and are skipped when a
        // necessary condition for any accepted match does not hold.
        if (s.indexOf('@') >= 0) s = replaceAt(s, EMAIL, Kind.EMAIL, counts, ACCEPT_ALL, Redactor::emailCanStart);
        if (obfuscatedEmails && containsIgnoreCase(s, "dot")) {
            s = replaceAt(s, OBFUSCATED_EMAIL, Kind.EMAIL, counts, ACCEPT_ALL, Redactor::obfuscatedEmailCanStart);
        }
        boolean digits = hasDigit(s);
        // before cards, phones and long numbers, which would otherwise take parts of a grouped IBAN
        if (digits && hasIbanStart(s)) s = replaceIbans(s, counts);
        if (digits && hasDigitDotDigit(s)) s = replaceAt(s, IPV4, Kind.IP, counts, Redactor::isIpv4, Redactor::ipv4CanStart);
        if (hasColonPair(s)) s = replaceAt(s, IPV6_CANDIDATE, Kind.IP, counts, Redactor::isIpv6, Redactor::ipv6CanStart);
        if (digits) {
            // a card needs 13+ digits separated by single spaces/hyphens only; a phone 7+ digits; a long number 8 in a row
            if (luhnCards && hasDigitGroupRun(s, 13)) {
                s = replaceAt(s, CARD, Kind.NUMBER, counts, m -> luhn(m.replaceAll("\\D", "")), Redactor::cardCanStart);
            }
            if (hasPhoneRun(s, 7)) s = replaceAt(s, PHONE_CANDIDATE, Kind.PHONE, counts, Redactor::looksLikePhone, Redactor::phoneCanStart);
            if (hasDigitRun(s, 8)) s = replaceAt(s, LONG_DIGITS, Kind.NUMBER, counts, ACCEPT_ALL, Redactor::longDigitsCanStart);
        }
        if (digits) s = replaceAll(s, ADDRESS, Kind.ADDRESS, counts);
        s = redactNames(s, extraNames, counts);
        s = replaceGroup(SIGN_OFF.matcher(s), s, 1, Kind.NAME, counts, x -> true);
        return new Result(s, counts);
    }

    /** A capitalised word of a street or place name (letters, apostrophes, hyphens, dots). */
    private static final String PLACE_WORD = "\\p{Lu}[\\p{L}'’.-]*";
    /** ", 10115 Berlin", ", Paris 75002", ", Springfield, IL 62704": a postcode and a town after a street address. */
    private static final String TOWN = "(?:,?[ \\t]+(?:\\d{4,5}[ \\t]+" + PLACE_WORD + "(?:[ \\t-]" + PLACE_WORD + ")?"
            + "|" + PLACE_WORD + "(?:[ \\t]" + PLACE_WORD + ")?,?[ \\t]+(?:[A-Z]{2}[ \\t]+)?\\d{5}(?:-\\d{4})?))?";
    /**
     * Street addresses with a house number, conservative on purpose (a ticket mentions floors, rooms and versions
     * far more often): German-style "Hauptstraße 5", "Lindenweg 12a" ("Am Markt 3", "Alexanderplatz 1" are not
     * taken: no street word, and "-platz" would take "Arbeitsplatz 12");
     * English-style "221B Baker Street", "1600 Pennsylvania Ave"; French-style "12 rue de la Paix"; each with the
     * postcode and town that follow it.
     */
    private static final Pattern ADDRESS = Pattern.compile(
            "(?<![\\p{L}\\p{N}])(?:"
                    + "\\p{Lu}[\\p{L}-]*(?:straße|strasse|str\\.|weg|gasse|allee|damm|ufer|chaussee)[ \\t]+\\d{1,4}[a-z]?"
                    + "|\\d{1,5}[A-Za-z]?[ \\t]+(?:" + PLACE_WORD + "[ \\t]+){1,3}"
                    + "(?:Street|St\\.|Avenue|Ave\\.?|Road|Rd\\.|Boulevard|Blvd\\.?|Lane|Drive|Court|Place|Square|Terrace)"
                    + "|\\d{1,4}(?:[ \\t]?(?:bis|ter))?,?[ \\t]+(?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|cours)"
                    + "(?:[ \\t]+(?:de|du|des|la|le|l'|d'|" + PLACE_WORD + ")){1,5}"
                    + ")" + TOWN + "(?![\\p{L}\\p{N}])");

    /**
     * Closing words people sign tickets with, lower case (English, German, French, Spanish, Italian, Dutch,
     * Portuguese, Swedish, Polish); longer ones first so that "kind regards" is not read as "kind".
     */
    private static final String CLOSINGS = String.join("|", java.util.stream.Stream.of(
            "thanks", "thank you", "many thanks", "thanks in advance", "thx", "ty", "regards", "best regards",
            "kind regards", "warm regards", "best wishes", "best", "cheers", "sincerely", "yours sincerely", "br",
            "gruß", "gruss", "grüße", "gruesse", "viele grüße", "beste grüße", "liebe grüße", "freundliche grüße",
            "mit freundlichen grüßen", "mit freundlichem gruß", "mfg", "lg", "vg", "danke", "vielen dank",
            "cordialement", "bien cordialement", "merci", "bien à vous", "saludos", "un saludo", "atentamente",
            "gracias", "grazie", "cordiali saluti", "saluti", "met vriendelijke groet", "groeten", "obrigado",
            "obrigada", "atenciosamente", "med vänlig hälsning", "hälsningar", "pozdrawiam")
            .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote).toList());

    /**
     * A name signed under a closing: "Thanks, Carla Dubois", "Kind regards,\n\nMaria", "Thanks for your help!\nJohn",
     * "Gruß\nJürgen M." — one to three capitalised words or initials that make up the rest of their line, on the
     * closing's line or on one of the next three lines (after a short phrase such as "for your help!", on a next
     * line only). The closing starts its line (after a reply's quote mark) or a sentence. Group 1 is the name.
     * Anyone's name, not only the requester's: colleagues sign too. A line such as "Service Desk" under a closing
     * is taken as well (a loss of two words, not of data). The closing words match in any case, the name's
     * capitals only as capitals.
     */
    private static final Pattern SIGN_OFF = Pattern.compile(
            "(?m)(?:^[ \\t>]*|(?<=[.!?])[ \\t]+)(?iu:" + CLOSINGS + ")(?![\\p{L}\\p{N}])"
                    + "(?:[ \\t]+\\p{Ll}[^\\r\\n]{0,60}?(?:\\R[ \\t>]*){1,3}|[ \\t]*[,.!:;-]*[ \\t]*(?:\\R[ \\t>]*){0,3})"
                    + "(\\p{Lu}[\\p{L}'’-]*\\.?(?:[ \\t]\\p{Lu}[\\p{L}'’-]*\\.?){0,2})[ \\t]*[,.!]?[ \\t]*$");

    /**
     * Character reads a custom pattern may make per character of the text (plus {@link #CUSTOM_BASE_READS}):
     * far above what any pattern that runs in linear time needs, far below what a backtracking one
     * ({@code (a+)+b} on a run of a's) takes.
     */
    static final long CUSTOM_READS_PER_CHAR = 1_000;
    static final long CUSTOM_BASE_READS = 1_000_000;

    /** A custom pattern read more of the text than {@link #CUSTOM_READS_PER_CHAR} allows. */
    private static final class TooSlow extends RuntimeException {
        TooSlow() {
            super(null, null, false, false);
        }
    }

    /**
     * The text as the matcher reads it, counting the reads: a pattern a lead wrote may backtrack without
     * bound on some input (untrusted ticket text), and one ticket must not hang an export or a prompt.
     */
    private static final class CountedText implements CharSequence {
        private final String s;
        private long budget;

        CountedText(String s, long budget) {
            this.s = s;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            if (--budget < 0) throw new TooSlow();
            return s.charAt(index);
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.substring(start, end);
        }

        @Override
        public String toString() {
            return s;
        }
    }

    /**
     * Replaces a custom pattern's matches; throws {@link TooSlow} when the pattern reads the text more than
     * {@link #CUSTOM_READS_PER_CHAR} times per character (the caller then redacts the whole text).
     */
    private static String replaceCustom(String s, Pattern p, Map<Kind, Integer> counts) {
        return replaceFound(p.matcher(new CountedText(s, CUSTOM_BASE_READS + CUSTOM_READS_PER_CHAR * s.length())), s,
                Kind.CUSTOM, counts);
    }

    private static String replaceAll(String s, Pattern p, Kind kind, Map<Kind, Integer> counts) {
        return replaceFound(p.matcher(s), s, kind, counts);
    }

    /** Replaces every non-empty match {@code m} finds in {@code s} (which it reads) by the kind's token. */
    private static String replaceFound(Matcher m, String s, Kind kind, Map<Kind, Integer> counts) {
        return replaceGroup(m, s, 0, kind, counts, x -> true);
    }

    /**
     * Replaces group {@code g} of each accepted, non-empty match {@code m} finds in {@code s} (which it reads) by
     * the kind's token; the rest of the match stays. For a value group (g > 0) a full stop at its end ends the
     * sentence and stays too, and a placeholder an earlier pass wrote is left alone.
     */
    private static String replaceGroup(Matcher m, String s, int g, Kind kind, Map<Kind, Integer> counts, GroupFilter filter) {
        StringBuilder out = null;
        int last = 0;
        int n = 0;
        while (m.find()) {
            int start = m.start(g), end = m.end(g);
            if (end == start || !filter.accept(m) || (g > 0 && isToken(m.group(g)))) continue;
            if (g > 0 && end - start > 1 && s.charAt(end - 1) == '.') end--;
            if (out == null) out = new StringBuilder(s.length());
            out.append(s, last, start).append(kind.token());
            last = end;
            n++;
        }
        if (out == null) return s;
        out.append(s, last, s.length());
        counts.merge(kind, n, Integer::sum);
        return out.toString();
    }

    private interface MatchFilter {
        boolean accept(String match);
    }

    private static final MatchFilter ACCEPT_ALL = m -> true;

    /** A necessary condition for a match of a pattern to start at {@code i} (a cheap stand-in for trying it). */
    private interface StartTest {
        boolean canStart(String s, int i);
    }

    /**
     * Same result as {@link Matcher#find()} over the whole text, but the pattern is only tried at positions passing
     * {@code start}: a match attempt at position i (with the text before i visible to look-behind)
     * is exactly what {@link Matcher#find()} does there, and positions failing the test cannot
     * start a match, so the sequence of matches found is the same.
     */
    private static String replaceAt(String s, Pattern p, Kind kind, Map<Kind, Integer> counts, MatchFilter filter,
                                    StartTest start) {
        // a rejected match is skipped whole, as find() skips it
        return replaceMatches(s, p, kind, counts, start, m -> filter.accept(m) ? m.length() : 0, false);
    }

    /** How many characters from the start of a match are redacted; 0 rejects it. */
    private interface Taken {
        int length(String match);
    }

    /**
     * The scan behind {@link #replaceAt} and {@link #replaceIbans}: the pattern is tried (lookingAt, the text
     * before visible to look-behind) only at positions passing {@code start}; each match redacts the first
     * {@code taken} characters. A rejected match is skipped whole, or, with {@code retryInside}, the scan goes on
     * from the next character (a valid one may start inside a failed candidate).
     */
    private static String replaceMatches(String s, Pattern p, Kind kind, Map<Kind, Integer> counts, StartTest start,
                                         Taken taken, boolean retryInside) {
        Matcher m = p.matcher(s).useTransparentBounds(true).useAnchoringBounds(false);
        int len = s.length();
        StringBuilder out = null;
        int last = 0;
        int n = 0;
        int pos = 0;
        while (pos < len) {
            int c = pos;
            while (c < len && !start.canStart(s, c)) c++;
            if (c >= len) break;
            m.region(c, len);
            if (!m.lookingAt() || m.end() == m.start()) { // empty matches cannot happen with the built-in patterns
                pos = c + 1;
                continue;
            }
            int me = m.end();
            int take = taken.length(m.group());
            if (take == 0) {
                pos = retryInside ? c + 1 : me;
                continue;
            }
            if (out == null) out = new StringBuilder(len);
            out.append(s, last, c).append(kind.token());
            last = c + take;
            pos = last;
            n++;
        }
        if (out == null) return s;
        out.append(s, last, len);
        counts.merge(kind, n, Integer::sum);
        return out.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code \\w} without UNICODE_CHARACTER_CLASS. */
    private static boolean isWord(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** EMAIL's ALNUM: a letter or decimal digit of any script but the {@link #UNSPACED} ones. */
    private static boolean isAddressAlnum(int cp) {
        if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9');
        if (!Character.isLetterOrDigit(cp)) return false;
        Character.UnicodeScript sc = Character.UnicodeScript.of(cp);
        return sc != Character.UnicodeScript.HAN && sc != Character.UnicodeScript.HIRAGANA
                && sc != Character.UnicodeScript.KATAKANA && sc != Character.UnicodeScript.HANGUL
                && sc != Character.UnicodeScript.THAI;
    }

    /** EMAIL's LOCAL class, which is also its look-behind's set. */
    private static boolean isEmailLocal(int cp) {
        return isAddressAlnum(cp) || cp == '_' || cp == '.' || cp == '%' || cp == '+' || cp == '-';
    }

    /** EMAIL: a letter or digit not preceded by a local-part character, whose local-part run ends at '@'. */
    private static boolean emailCanStart(String s, int i) {
        int c = s.codePointAt(i);
        if (!isAddressAlnum(c) || Character.isLowSurrogate(s.charAt(i))) return false;
        if (i > 0 && isEmailLocal(s.codePointBefore(i))) return false;
        int j = i;
        while (j < s.length()) {
            int d = s.codePointAt(j);
            if (d == '@') return true;
            if (!isEmailLocal(d)) return false;
            j += Character.charCount(d);
        }
        return false;
    }

    /**
     * OBFUSCATED_EMAIL: the first ASCII letter or digit of a run of local-part characters
     * ({@code [A-Za-z0-9._%+-]}), that is, not preceded by a letter or digit with only {@code ._%+-} between.
     * A later position in the same run cannot start a match the first one misses: the local part always
     * runs to the end of the run, and what must follow is the same.
     */
    private static boolean obfuscatedEmailCanStart(String s, int i) {
        char c = s.charAt(i);
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
        int j = i - 1;
        while (j >= 0) {
            char b = s.charAt(j);
            if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) return false;
            if (b != '.' && b != '%' && b != '+' && b != '-') return true;
            j--;
        }
        return true;
    }

    /** IPV4: a digit not preceded by a word character or a dot. */
    private static boolean ipv4CanStart(String s, int i) {
        if (!isDigit(s.charAt(i))) return false;
        if (i == 0) return true;
        char b = s.charAt(i - 1);
        return !isWord(b) && b != '.';
    }

    /** IPV6_CANDIDATE: a hex digit or ':' not preceded by a word character, ':' or '.'. */
    private static boolean ipv6CanStart(String s, int i) {
        char c = s.charAt(i);
        if (!isHex(c) && c != ':') return false;
        if (i == 0) return true;
        char b = s.charAt(i - 1);
        return !isWord(b) && b != ':' && b != '.';
    }

    /** CARD: a digit not preceded by a word character, '.', '+' or '-'. */
    private static boolean cardCanStart(String s, int i) {
        if (!isDigit(s.charAt(i))) return false;
        if (i == 0) return true;
        char b = s.charAt(i - 1);
        return !isWord(b) && b != '.' && b != '+' && b != '-';
    }

    /**
     * PHONE_CANDIDATE: '+', '(' or a digit, not preceded by a word character or any of {@code .+/:-},
     * except a '.' or ':' (one or two of them) right after a phone label word ({@link #PHONE_LABELS}).
     */
    private static boolean phoneCanStart(String s, int i) {
        char c = s.charAt(i);
        if (c != '+' && c != '(' && !isDigit(c)) return false;
        if (i == 0) return true;
        char b = s.charAt(i - 1);
        if (b == '.' || b == ':') return afterPhoneLabel(s, i - 1);
        return !isWord(b) && b != '+' && b != '/' && b != '-';
    }

    /** True when the '.' or ':' at {@code p} (with at most one more before it) ends a whole word in {@link #PHONE_LABELS}. */
    private static boolean afterPhoneLabel(String s, int p) {
        int end = p;
        if (end > 0 && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ':')) end--;
        int start = end;
        while (start > 0 && end - start < 10 && Character.isLetter(s.charAt(start - 1))) start--;
        if (start == end || (start > 0 && (Character.isLetterOrDigit(s.charAt(start - 1)) || s.charAt(start - 1) == '_'))) return false;
        return PHONE_LABELS.contains(s.substring(start, end).toLowerCase(Locale.ROOT));
    }

    /**
     * LONG_DIGITS: a digit not preceded by a word character, a dot or a hyphen: "err -2147467259" is an
     * error code and "PO-4500012345" an order number, not personal data.
     */
    private static boolean longDigitsCanStart(String s, int i) {
        return ipv4CanStart(s, i) && (i == 0 || s.charAt(i - 1) != '-');
    }

    /** IBAN_CANDIDATE: a letter not preceded by a letter or digit, then a letter and two digits. */
    private static boolean ibanCanStart(String s, int i) {
        if (i + 3 >= s.length() || !isAsciiLetter(s.charAt(i)) || !isAsciiLetter(s.charAt(i + 1))
                || !isDigit(s.charAt(i + 2)) || !isDigit(s.charAt(i + 3))) {
            return false;
        }
        if (i == 0) return true;
        char b = s.charAt(i - 1);
        return !isAsciiLetter(b) && !isDigit(b);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** Two letters followed by two digits somewhere (every IBAN has them at its start). */
    private static boolean hasIbanStart(String s) {
        for (int i = 0, n = s.length() - 3; i < n; i++) {
            if (isDigit(s.charAt(i + 2)) && isDigit(s.charAt(i + 3)) && isAsciiLetter(s.charAt(i)) && isAsciiLetter(s.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces IBANs. A candidate may run on into the next group of digits ("DE89 3704 0044 0532 0130 00
     * 1234"), so the longest prefix of it ending before a space that is a valid IBAN is taken
     * ({@link #ibanLength}); when none is, the search goes on from the next character, as an IBAN may
     * start inside a failed candidate.
     */
    private static String replaceIbans(String s, Map<Kind, Integer> counts) {
        return replaceMatches(s, IBAN_CANDIDATE, Kind.IBAN, counts, Redactor::ibanCanStart, Redactor::ibanLength, true);
    }

    /**
     * The length of the longest prefix of {@code candidate} that is a valid IBAN and ends at its end or
     * before a space or hyphen: the country's length ({@link #IBAN_LENGTHS}) and ISO 7064 mod 97-10 remainder 1.
     * 0 when there is none.
     */
    static int ibanLength(String candidate) {
        Integer want = IBAN_LENGTHS.get(candidate.substring(0, 2).toUpperCase(Locale.ROOT));
        if (want == null) return 0;
        for (int end = candidate.length(); end >= 4; end = lastSeparator(candidate, end - 1)) {
            String compact = candidate.substring(0, end).replace(" ", "").replace("-", "");
            if (compact.length() == want && mod97(compact) == 1) return end;
            if (compact.length() < want) return 0;
        }
        return 0;
    }

    /** The last space or hyphen at or before {@code from}, -1 when there is none. */
    private static int lastSeparator(String s, int from) {
        return Math.max(s.lastIndexOf(' ', from), s.lastIndexOf('-', from));
    }

    /** ISO 7064 MOD 97-10 of an IBAN: the first four characters moved to the end, letters as 10..35. */
    static int mod97(String iban) {
        String r = iban.substring(4) + iban.substring(0, 4);
        int rem = 0;
        for (int i = 0; i < r.length(); i++) {
            char c = Character.toUpperCase(r.charAt(i));
            int v = isDigit(c) ? c - '0' : c - 'A' + 10;
            rem = v < 10 ? (rem * 10 + v) % 97 : (rem * 100 + v) % 97;
        }
        return rem;
    }

    private static Map<String, Integer> ibanLengths(String spec) {
        Map<String, Integer> m = new java.util.HashMap<>();
        for (String e : spec.split(" ")) m.put(e.substring(0, 2), Integer.parseInt(e.substring(2)));
        return Map.copyOf(m);
    }

    /**
     * {@code text} with the characters that look like, or stand for, ASCII punctuation, letters, digits and
     * spaces replaced by them, so that no pattern misses "jane＠example．com", "０３０ １２３４５６７" or a
     * number grouped with no-break spaces:
     * <ul>
     *   <li>full-width letters, digits and {@code @ . + - _ % / #} (from U+FF01–FF5E; full-width brackets,
     *       commas, colons and exclamation marks are CJK punctuation and stay), and the small form variants (U+FE50–FE6B: small comma, full
     *       stop, commercial at…), as compatibility normalisation (NFKC) maps them;</li>
     *   <li>the mathematical alphanumeric symbols (U+1D400–1D7FF: bold, italic, script, monospace
     *       letters and digits) that NFKC maps to ASCII;</li>
     *   <li>decimal digits of every script (Arabic-Indic, Devanagari, full-width…) to 0–9;</li>
     *   <li>every space separator (no-break, narrow no-break, ideographic, en/em spaces…) to a space, and the
     *       line and paragraph separators (U+2028/9, U+0085) to a line feed.</li>
     * </ul>
     * One pass, linear; text with none of them is returned as it is. The redacted text is meant for
     * exports and prompts, where these forms carry no meaning the ASCII ones do not.
     */
    public static String foldLookalikes(String text) {
        int n = text.length();
        int i = 0;
        while (i < n && !maybeFolded(text.charAt(i))) i++;
        if (i == n) return text; // the usual case
        StringBuilder out = new StringBuilder(n).append(text, 0, i);
        while (i < n) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int f = fold(cp);
            if (f >= 0) out.append((char) f);
            else out.appendCodePoint(cp);
        }
        return out.toString();
    }

    private static boolean maybeFolded(char c) {
        return c >= 0x80 && (c == 0x85 || c == 0xD835 || (c >= 0xFE50 && c <= 0xFE6B) || (c >= 0xFF01 && c <= 0xFF5E)
                || Character.isDigit(c) || Character.isSpaceChar(c));
    }

    /** The ASCII character {@code cp} folds to, or -1. */
    private static int fold(int cp) {
        if (cp < 0x80) return -1;
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            // full-width letters, digits and the characters addresses and numbers are made of; full-width
            // brackets, commas, colons and exclamation marks are ordinary CJK punctuation and stay
            int a = cp - 0xFEE0;
            boolean alnum = (a >= '0' && a <= '9') || (a >= 'A' && a <= 'Z') || (a >= 'a' && a <= 'z');
            return alnum || "@.+-_%/#".indexOf(a) >= 0 ? a : -1;
        }
        if (cp == 0x85 || cp == 0x2028 || cp == 0x2029) return '\n';
        if (Character.getType(cp) == Character.SPACE_SEPARATOR) return ' ';
        if (Character.isDigit(cp)) return '0' + Character.digit(cp, 10);
        if ((cp >= 0xFE50 && cp <= 0xFE6B) || (cp >= 0x1D400 && cp <= 0x1D7FF)) {
            String k = java.text.Normalizer.normalize(new String(Character.toChars(cp)), java.text.Normalizer.Form.NFKC);
            if (k.length() == 1 && k.charAt(0) > 0x20 && k.charAt(0) < 0x7F) return k.charAt(0);
        }
        return -1;
    }

    /**
     * {@code text} without the invisible characters that could split a piece of personal data so that no
     * pattern sees it, while a later step (the prompt's sanitiser, a viewer) drops or hides them and
     * joins the halves again:
     * <ul>
     *   <li>always: format characters (Unicode Cf: zero-width space U+200B, word joiner U+2060, soft
     *       hyphen U+00AD, byte order mark U+FEFF, the bidirectional controls U+200E/F, U+202A–E and
     *       U+2066–9, tag characters…) except the visible prepended marks (U+0600–0605, U+06DD, U+070F,
     *       U+0890–1, U+08E2, U+110BD, U+110CD), and U+034F, U+180B–U+180F;</li>
     *   <li>the zero-width non-joiner and joiner (U+200C/D) next to an ASCII character, and variation
     *       selectors after one (between non-ASCII characters they shape emoji sequences and Persian or
     *       Indic words, and stay);</li>
     *   <li>control characters other than tab, line feed and carriage return, U+FFFC and U+FFFD, in a
     *       run of at most 8 between two visible ASCII characters ({@code jane.doe\u0000@example.com});
     *       elsewhere they stay, so binary content still looks binary to the prompt builder.</li>
     * </ul>
     */
    public static String stripInvisible(String text) {
        int n = text.length();
        int i = 0;
        while (i < n && !maybeInvisible(text.charAt(i))) i++;
        if (i == n) return text; // the usual case
        StringBuilder out = new StringBuilder(n).append(text, 0, i);
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!isCandidate(cp)) {
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
                continue;
            }
            // a run of candidates, judged by the characters around it
            int j = i;
            while (j < n) {
                int c = text.codePointAt(j);
                if (!isCandidate(c)) break;
                j += Character.charCount(c);
            }
            int before = i > 0 ? text.codePointBefore(i) : ' ';
            int after = j < n ? text.codePointAt(j) : ' ';
            boolean asciiAround = i == 0 || j == n || before < 0x80 || after < 0x80;
            boolean splitsAscii = j - i <= 8 && before > 0x20 && before < 0x7F && after > 0x20 && after < 0x7F;
            for (int k = i; k < j; ) {
                int c = text.codePointAt(k);
                int w = Character.charCount(c);
                boolean drop;
                if (c == 0x200C || c == 0x200D) drop = asciiAround;
                else if (isVariationSelector(c)) drop = before < 0x80;
                else if (isControlLike(c)) drop = splitsAscii;
                else drop = true; // an invisible format character
                if (!drop) out.appendCodePoint(c);
                k += w;
            }
            i = j;
        }
        return out.toString();
    }

    private static boolean isCandidate(int cp) {
        return cp == 0x200C || cp == 0x200D || isVariationSelector(cp) || isControlLike(cp) || isInvisibleFormat(cp);
    }

    private static boolean isVariationSelector(int cp) {
        return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
    }

    /** A character {@link #stripInvisible} may drop (a cheap superset test; surrogates are looked at as code points). */
    private static boolean maybeInvisible(char c) {
        if (c < 0x20) return c != '\t' && c != '\n' && c != '\r';
        if (c < 0x7F) return false;
        if (c <= 0x9F) return true;
        if (c < 0xAD) return false;
        if (c == 0xAD) return true;
        if (c < 0x034F) return false;
        return c == 0x034F || (c >= 0x0600 && c <= 0x070F) || c == 0x08E2 || c == 0x0890 || c == 0x0891
                || (c >= 0x180B && c <= 0x180F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x206F) || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF
                || (c >= 0xFFF9 && c <= 0xFFFD) || Character.isSurrogate(c);
    }

    private static boolean isControlLike(int cp) {
        return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFC || cp == 0xFFFD;
    }

    /** Cf except the joiners and the visible prepended marks, plus U+034F and U+180B–U+180F. */
    private static boolean isInvisibleFormat(int cp) {
        if (cp == 0x200C || cp == 0x200D) return false;
        if (cp == 0x034F || (cp >= 0x180B && cp <= 0x180F)) return true;
        if (Character.getType(cp) != Character.FORMAT) return false;
        return !((cp >= 0x0600 && cp <= 0x0605) || cp == 0x06DD || cp == 0x070F || cp == 0x0890 || cp == 0x0891
                || cp == 0x08E2 || cp == 0x110BD || cp == 0x110CD);
    }

    /** A digit, a dot and a digit in a row (every IPv4 candidate has one). */
    private static boolean hasDigitDotDigit(String s) {
        for (int i = s.indexOf('.'); i >= 0; i = s.indexOf('.', i + 1)) {
            if (i > 0 && i + 1 < s.length() && isDigit(s.charAt(i - 1)) && isDigit(s.charAt(i + 1))) return true;
        }
        return false;
    }

    /** Two colons with at most four hex digits between them (every IPv6 candidate has one). */
    private static boolean hasColonPair(String s) {
        for (int i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) {
            for (int j = i + 1; j < s.length() && j <= i + 5; j++) {
                char c = s.charAt(j);
                if (c == ':') return true;
                if (!isHex(c)) break;
            }
        }
        return false;
    }

    /** At least {@code min} digits in a row. */
    private static boolean hasDigitRun(String s, int min) {
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            if (isDigit(s.charAt(i))) {
                if (++run >= min) return true;
            } else {
                run = 0;
            }
        }
        return false;
    }

    /** At least {@code min} digits in a run of digits separated by single spaces, hyphens or dots (a card candidate lies in one). */
    private static boolean hasDigitGroupRun(String s, int min) {
        int digits = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                if (++digits >= min) return true;
            } else if (!((c == ' ' || c == '-' || c == '.') && i > 0 && isDigit(s.charAt(i - 1)) && i + 1 < len && isDigit(s.charAt(i + 1)))) {
                digits = 0;
            }
        }
        return false;
    }

    /**
     * At least {@code min} digits in a run of the characters a phone candidate consists of
     * ({@code +}, digits, space, tab, {@code ( ) . - /}); a phone needs 7.
     */
    private static boolean hasPhoneRun(String s, int min) {
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                if (++digits >= min) return true;
            } else if (!(c == ' ' || c == '\t' || c == '(' || c == ')' || c == '.' || c == '-' || c == '/' || c == '+')) {
                digits = 0;
            }
        }
        return false;
    }

    /**
     * Credentials written in the text ({@link Kind#SECRET}): private key blocks, Authorization headers and
     * bearer tokens, tokens of well-known formats, then values after a key that names a credential
     * ("password: hunter2", "pwd=Summer2024!", "new PIN is 4821"; after "is", "ist", "lautet", "was" or
     * "war" the value must hold a digit or a symbol, so "password is expired" stays). The key stays,
     * so the text still says what was there.
     */
    private static String redactCredentials(String s, Map<Kind, Integer> counts) {
        if (s.contains(KEY_BEGIN)) s = redactPrivateKeys(s, counts);
        if (containsIgnoreCase(s, "authorization")) s = replaceGroup(AUTH_HEADER.matcher(s), s, 1, Kind.SECRET, counts, m -> isTokenShaped(m.group(1)));
        if (containsIgnoreCase(s, "bearer")) s = replaceGroup(BEARER.matcher(s), s, 1, Kind.SECRET, counts, m -> isTokenShaped(m.group(1)));
        s = replaceAll(s, KNOWN_TOKEN, Kind.SECRET, counts);
        s = replaceGroup(KEY_VALUE.matcher(s), s, 3, Kind.SECRET, counts, Redactor::isCredentialValue);
        return s;
    }

    private interface GroupFilter {
        boolean accept(Matcher m);
    }

    /** A placeholder an earlier pass wrote ("[EMAIL]"), not a value. */
    private static boolean isToken(String v) {
        for (Kind k : Kind.values()) if (v.equals(k.token())) return true;
        return false;
    }

    /**
     * Whether a key/value match is a credential. A configuration key ("DB_PASSWORD=", "spring.datasource.password:",
     * "api_key=", a quoted JSON key) takes any value. A bare prose word ("Password:", "PIN is", "token:") is also how
     * people write about the thing ("Password: reset requested", "PIN: blocked", "The token is 5 minutes old"), so
     * there the value must look like a secret: at least 4 characters, with a digit or a symbol.
     */
    private static boolean isCredentialValue(Matcher m) {
        String key = m.group(1);
        if (!isCredentialKey(key)) return false;
        String sep = m.group(2);
        boolean quotedKey = sep.startsWith("\"") || sep.startsWith("'");
        boolean configKey = quotedKey || key.indexOf('_') >= 0 || key.indexOf('.') >= 0 || key.indexOf('-') >= 0
                || !CREDENTIAL_KEYS.contains(key.toLowerCase(Locale.ROOT));
        String v = m.group(3);
        if (v.startsWith("\"") || v.startsWith("'")) return true; // a quoted value is a value, not prose
        if (configKey && !sep.isBlank() && (sep.strip().startsWith(":") || sep.strip().startsWith("="))) return true;
        return isTokenShaped(v);
    }

    /**
     * At least 4 characters (a PIN has 4) with a digit or a symbol other than a closing full stop, exclamation or
     * question mark: "hunter2", "Summer2024!", "4821", "Tr0ub4dor&3"; not "reset", "blocked", "5", "expired.".
     */
    private static boolean isTokenShaped(String v) {
        int end = v.length();
        while (end > 0 && ".!?".indexOf(v.charAt(end - 1)) >= 0) end--;
        String t = v.substring(0, end);
        if (t.length() < 4) return false;
        for (int i = 0; i < t.length(); i++) if (!Character.isLetter(t.charAt(i))) return true;
        return false;
    }

    /** True when the key's last word ({@code user.password}, {@code DB_PASSWORD}, {@code api-key}) names a credential. */
    static boolean isCredentialKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        // the last dotted part ("spring.datasource.password"), without '_' and '-' ("api_key", "client-secret")
        int dot = k.lastIndexOf('.');
        if (dot >= 0) k = k.substring(dot + 1);
        String compact = k.replace("_", "").replace("-", "");
        for (String c : CREDENTIAL_KEYS) {
            if (compact.equals(c)) return true;
            // a longer key that ends in the credential word at a word boundary: db_password, clientSecret, x-api-key
            if (compact.endsWith(c) && (c.length() >= 5 || c.equals("pwd"))) return true;
        }
        return false;
    }

    /**
     * Where the base64 body after a key's BEGIN line ends: whitespace-separated chunks of base64 of at least
     * 16 characters (a PEM line has 64), or a shorter one ending in '=' (the last line's padding); the first
     * other word ends it. Within {@code limit}.
     */
    private static int base64BodyEnd(String s, int from, int limit) {
        int e = from;
        int t = from;
        while (true) {
            while (t < limit && Character.isWhitespace(s.charAt(t))) t++;
            int u = t;
            while (u < limit && isBase64(s.charAt(u))) u++;
            boolean chunk = u > t && (u == limit || Character.isWhitespace(s.charAt(u)))
                    && (u - t >= 16 || s.charAt(u - 1) == '=');
            if (!chunk) return e;
            e = u;
            t = u;
        }
    }

    private static boolean isBase64(char c) {
        return isAsciiLetter(c) || isDigit(c) || c == '+' || c == '/' || c == '=';
    }

    /**
     * Private key blocks, BEGIN to END; one without an END (a cut text) to the end of the base64 body after
     * its BEGIN line. Linear: each search for BEGIN starts where the last block ended, and once a search for
     * END fails none follows.
     */
    private static String redactPrivateKeys(String s, Map<Kind, Integer> counts) {
        Matcher begin = PRIVATE_KEY_BEGIN.matcher(s);
        Matcher end = PRIVATE_KEY_END.matcher(s);
        StringBuilder out = null;
        int last = 0;
        int n = 0;
        int from = 0;
        boolean noEnd = false;
        while (from < s.length() && begin.find(from)) {
            if (out == null) out = new StringBuilder(s.length());
            out.append(s, last, begin.start()).append(Kind.SECRET.token());
            n++;
            if (!noEnd && end.find(begin.end())) {
                last = end.end();
            } else {
                noEnd = true; // none after this BEGIN, so none after any later one: searched once
                // no END (a cut text): the base64 body that follows, up to 16,384 characters
                last = base64BodyEnd(s, begin.end(), Math.min(s.length(), begin.end() + 16_384));
            }
            from = last;
        }
        if (out == null) return s;
        out.append(s, last, s.length());
        counts.merge(Kind.SECRET, n, Integer::sum);
        return out.toString();
    }

    private static String redactUrlSecrets(String s, Map<Kind, Integer> counts) {
        Matcher m = URL_PATTERN.matcher(s);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String url = m.group();
            // trailing sentence punctuation is not part of the URL
            int end = url.length();
            while (end > 0 && ".,;:!?)]}".indexOf(url.charAt(end - 1)) >= 0) end--;
            String core = url.substring(0, end);
            int[] n = {0};
            String cleaned = cleanUrl(core, n);
            if (n[0] == 0) continue;
            if (out == null) out = new StringBuilder(s.length());
            out.append(s, last, m.start()).append(cleaned);
            last = m.start() + end;
            counts.merge(Kind.URL, n[0], Integer::sum);
        }
        if (out == null) return s;
        out.append(s, last, s.length());
        return out.toString();
    }

    private static String cleanUrl(String url, int[] n) {
        String result = url;
        // user:password@host
        Matcher userInfo = USER_INFO.matcher(result);
        if (userInfo.find()) {
            result = userInfo.group(1) + ":" + Kind.URL.token() + "@" + result.substring(userInfo.end());
            n[0]++;
        }
        result = redactPathTokens(result, n);
        int q = indexOfAny(result, '?', '#');
        if (q < 0) return result;
        StringBuilder sb = new StringBuilder(result.length());
        sb.append(result, 0, q);
        int i = q;
        while (i < result.length()) {
            char sep = result.charAt(i); // '?', '&', ';' or '#'
            sb.append(sep);
            int next = i + 1;
            while (next < result.length() && "&;#".indexOf(result.charAt(next)) < 0) next++;
            String pair = result.substring(i + 1, next);
            int eq = pair.indexOf('=');
            if (eq > 0 && eq < pair.length() - 1 && SECRET_PARAM.matcher(pair.substring(0, eq)).find()) {
                sb.append(pair, 0, eq + 1).append(Kind.URL.token());
                n[0]++;
            } else {
                sb.append(pair);
            }
            i = next;
        }
        return sb.toString();
    }

    /**
     * Path segments that look like a capability token (a share link's or webhook's secret,
     * {@code hooks.slack.com/services/T…/B…/<secret>}, {@code /share/8f14e45fceea…}): 20 or more letters,
     * digits, '_' or '-' that switch between letters and digits at least four times, which words, slugs
     * ("reset-password-2024") and version paths do not.
     */
    private static String redactPathTokens(String url, int[] n) {
        int scheme = url.indexOf("://");
        int path = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
        if (path < 0) return url;
        int q = indexOfAny(url, '?', '#');
        int end = q < 0 ? url.length() : q;
        if (path >= end) return url;
        StringBuilder sb = null;
        int last = 0;
        int i = path + 1;
        while (i <= end) {
            int j = i;
            while (j < end && url.charAt(j) != '/') j++;
            if (looksLikePathToken(url, i, j)) {
                if (sb == null) sb = new StringBuilder(url.length());
                sb.append(url, last, i).append(Kind.URL.token());
                last = j;
                n[0]++;
            }
            i = j + 1;
        }
        if (sb == null) return url;
        return sb.append(url, last, url.length()).toString();
    }

    private static boolean looksLikePathToken(String s, int from, int to) {
        if (to - from < 20) return false;
        int switches = 0;
        int prev = 0; // 1 letter, 2 digit
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            int kind = isAsciiLetter(c) ? 1 : isDigit(c) ? 2 : 0;
            if (kind == 0 && c != '_' && c != '-') return false;
            if (kind != 0) {
                if (prev != 0 && kind != prev) switches++;
                prev = kind;
            }
        }
        return switches >= 4;
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == a || c == b) return i;
        }
        return -1;
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') return true;
        }
        return false;
    }

    private static boolean containsIgnoreCase(String s, String needle) {
        for (int i = 0; i + needle.length() <= s.length(); i++) {
            if (s.regionMatches(true, i, needle, 0, needle.length())) return true;
        }
        return false;
    }

    static boolean isIpv4(String candidate) {
        String addr = candidate;
        int cut = addr.indexOf('/');
        if (cut < 0) cut = addr.indexOf(':');
        if (cut >= 0) addr = addr.substring(0, cut);
        return IPV4_OCTETS.matcher(addr).matches();
    }

    static boolean looksLikePhone(String candidate) {
        String c = candidate.strip();
        int digits = 0;
        for (int i = 0; i < c.length(); i++) if (Character.isDigit(c.charAt(i))) digits++;
        // "00" dials out only before a country code, and none starts with 0: "00012345" is an asset number
        boolean international = c.startsWith("+") || (c.startsWith("00") && c.length() > 2 && c.charAt(2) != '0');
        if (digits < 7 || digits > 15) return false;
        // balanced parentheses only
        long open = c.chars().filter(ch -> ch == '(').count();
        long close = c.chars().filter(ch -> ch == ')').count();
        if (open != close || open > 1) return false;
        boolean hasSeparator = HAS_SEPARATOR.matcher(c).find();
        if (!international && !hasSeparator) return false; // a bare digit run is a NUMBER, not a phone
        if (!international && c.startsWith("00") ) return false;
        if (!international && (DATE_YYYY.matcher(c).find() || DATE_YY.matcher(c).matches())) return false;
        if (c.indexOf('/') >= 0 && !international && !SLASH_PHONE.matcher(c).matches()) {
            return false; // slashes: only the German "030/1234567" style, not 01/15/2024, fractions or paths
        }
        if (DOUBLE_SPACE.matcher(c).find() || c.indexOf('\n') >= 0) return false; // two numbers in a column, not one phone
        String[] groups = GROUP_SPLIT.split(LEADING_PLUS_PAREN.matcher(c).replaceFirst(""));
        if (c.indexOf('.') >= 0 && DOTS_ONLY.matcher(c).matches() && !international) {
            // dot-only: accept the North American 3.3.4 and European 2.2.2.2.2 styles, not versions
            return NANP_DOTS.matcher(c).matches();
        }
        if (!international) {
            // local numbers: no group longer than 8 digits, and not lots of tiny groups (like "1 2 3 4 5 6 7")
            int tiny = 0;
            for (String g : groups) {
                if (g.length() > 8) return false;
                if (g.length() == 1) tiny++;
            }
            if (tiny > 1) return false;
        }
        return true;
    }

    static boolean luhn(String digits) {
        if (digits.length() < 13 || digits.length() > 19) return false;
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    static boolean isIpv6(String candidate) {
        String s = candidate;
        int slash = s.indexOf('/');
        if (slash >= 0) s = s.substring(0, slash);
        int pct = s.indexOf('%');
        if (pct >= 0) s = s.substring(0, pct);
        if (s.chars().filter(ch -> ch == ':').count() < 2) return false;
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return false;
        boolean hasV4 = s.contains(".");
        int maxGroups = hasV4 ? 6 : 8;
        List<String> groups = new ArrayList<>();
        if (dbl >= 0) {
            String head = s.substring(0, dbl);
            String tail = s.substring(dbl + 2);
            if (!head.isEmpty()) groups.addAll(List.of(head.split(":", -1)));
            if (!tail.isEmpty()) groups.addAll(List.of(tail.split(":", -1)));
        } else {
            groups.addAll(List.of(s.split(":", -1)));
        }
        if (hasV4) {
            if (groups.isEmpty()) return false;
            String v4 = groups.remove(groups.size() - 1);
            if (!IPV4_OCTETS.matcher(v4).matches()) return false;
        }
        for (String g : groups) {
            if (g.isEmpty() || g.length() > 4 || !g.matches("[0-9A-Fa-f]+")) return false;
        }
        if (dbl >= 0) return groups.size() < maxGroups;
        // without "::" all groups must be present: excludes times (12:30:45) and MAC addresses
        return groups.size() == maxGroups;
    }

    /** Compiled name patterns by name set; bounded so per-ticket requester names cannot grow it without limit. */
    private final java.util.concurrent.ConcurrentHashMap<Set<String>, Pattern> namePatterns = new java.util.concurrent.ConcurrentHashMap<>();

    private String redactNames(String s, Collection<String> extraNames, Map<Kind, Integer> counts) {
        Set<String> all = new LinkedHashSet<>(names);
        if (extraNames != null) {
            for (String n : extraNames) if (n != null && !n.isBlank()) all.add(WS.matcher(n.strip()).replaceAll(" "));
        }
        if (all.isEmpty()) return s;
        Pattern p = namePatterns.get(all);
        if (p == null) {
            if (namePatterns.size() > 512) namePatterns.clear();
            p = namePattern(all);
            namePatterns.put(all, p);
        }
        return replaceAll(s, p, Kind.NAME, counts);
    }

    private static Pattern namePattern(Set<String> all) {
        // full names first, then their parts (so "Jane Doe" is one [NAME], and "Doe" alone is caught too)
        Set<String> variants = new LinkedHashSet<>(all);
        for (String n : all) {
            for (String part : n.split("[\\s,]+")) {
                if (part.replaceAll("[^\\p{L}]", "").length() >= 2) variants.add(part);
            }
        }
        List<String> ordered = new ArrayList<>(variants);
        ordered.sort(Comparator.comparingInt(String::length).reversed());
        StringBuilder alt = new StringBuilder();
        for (String v : ordered) {
            if (!alt.isEmpty()) alt.append('|');
            alt.append(Pattern.quote(v).replace(" ", "\\E\\s+\\Q"));
        }
        return Pattern.compile("(?<![\\p{L}\\p{N}_])(?:" + alt + ")(?![\\p{L}\\p{N}_])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    @Override
    public String toString() {
        return "Redactor[customPatterns=" + customPatterns.size() + ", names=" + names.size()
                + ", obfuscatedEmails=" + obfuscatedEmails + ", luhnCards=" + luhnCards + "]";
    }

    /** Lower-cased kind name, handy for logs and export metadata. */
    public static String label(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
