package dev.switchboard.app.sample;

import dev.switchboard.persistence.store.ImportBatchResult;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TaxonomyRow;
import dev.switchboard.persistence.store.TicketStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * A realistic sample help desk the project writes itself (no external data): eight teams with
 * descriptions, priorities P1–P4 with criteria and SLA targets, ~200 labelled history tickets and ~100
 * unlabelled tickets for {@link DemoReplay}. Generated deterministically from templates: the same
 * tickets, in the same order, every time.
 */
public final class SampleWorkspace {

    public static final String SOURCE = "sample";
    public static final String ACTOR = "sample";

    public static final List<TaxonomyRow> TEAMS = List.of(
            new TaxonomyRow("Service Desk", "First line: how-to questions, software installation requests, onboarding and "
                    + "offboarding checklists, printing questions, anything that does not clearly belong elsewhere.", 0),
            new TaxonomyRow("Network", "VPN, Wi-Fi, LAN ports, firewall rules, DNS, proxy, slow or dropped connections, "
                    + "site-wide connectivity outages.", 0),
            new TaxonomyRow("Identity & Access", "Passwords, locked accounts, multi-factor authentication, single sign-on, "
                    + "group memberships and access rights to shares and applications.", 0),
            new TaxonomyRow("Email & Collaboration", "Outlook and Exchange mailboxes, shared mailboxes, calendars, "
                    + "distribution lists, Teams chats and meetings, SharePoint sites.", 0),
            new TaxonomyRow("Endpoint & Hardware", "Laptops, desktops, monitors, docking stations, keyboards, headsets, "
                    + "printers (hardware), mobile phones, OS updates and device replacements.", 0),
            new TaxonomyRow("Business Apps (ERP)", "SAP ERP, purchase orders, invoices, payroll and HR portal, CRM, "
                    + "expense tool; application errors, roles inside these applications, month-end jobs.", 0),
            new TaxonomyRow("Security", "Phishing reports, malware alerts, lost or stolen devices, suspicious sign-ins, "
                    + "data leaks, security exceptions and USB/encryption policy questions.", 0),
            new TaxonomyRow("Database & Infrastructure", "Servers, virtual machines, databases, storage and disk space, "
                    + "backups and restores, batch jobs, certificates, monitoring alerts.", 0));

    public static final List<TaxonomyRow> PRIORITIES = List.of(
            new TaxonomyRow("P1", "Critical: a business-critical service is down or a security incident is in progress; "
                    + "many users or customers affected, no workaround. Target: resolve within 1 hour.", 1),
            new TaxonomyRow("P2", "High: a service is degraded or a team/VIP cannot work; workaround is poor or missing. "
                    + "Target: resolve within 4 hours.", 2),
            new TaxonomyRow("P3", "Medium: one user is impaired but can work on with a workaround. "
                    + "Target: resolve within 1 business day.", 3),
            new TaxonomyRow("P4", "Low: questions, requests and cosmetic issues. Target: resolve within 3 business days.", 4));

    /** Resolution targets in minutes by priority name. */
    public static final Map<String, Integer> SLA_MINUTES = Map.of("P1", 60, "P2", 240, "P3", 1440, "P4", 4320);

    private final List<SampleTicket> history;
    private final List<SampleTicket> replay;

    private SampleWorkspace(List<SampleTicket> history, List<SampleTicket> replay) {
        this.history = history;
        this.replay = replay;
    }

    /** The sample (deterministic; cheap to call). */
    public static SampleWorkspace create() {
        SampleGenerator g = new SampleGenerator(20_260_101L);
        return new SampleWorkspace(g.history(200), g.replay(100));
    }

    /** Labelled history, oldest first. */
    public List<SampleTicket> history() {
        return history;
    }

    /** Unlabelled tickets for {@link DemoReplay}, in replay order (team/priority are the expected answer). */
    public List<SampleTicket> replayTickets() {
        return replay;
    }

    /** What {@link #install} did. */
    public record InstallResult(int created, int alreadyPresent) {}

    /**
     * Writes the taxonomy and the history into the store. Idempotent: installing again adds nothing
     * (tickets are keyed by source "sample" and a stable id). The future completes once committed.
     */
    public CompletableFuture<InstallResult> install(TicketStore store) {
        Instant now = Instant.now();
        List<NewTicket> rows = new ArrayList<>();
        for (SampleTicket t : history) {
            rows.add(new NewTicket(SOURCE, t.key(), t.subject(), t.body(), t.requester(),
                    now.minus(Duration.ofMinutes(t.minutesAgo())), t.team(), t.priority()));
        }
        Map<String, Integer> sla = new LinkedHashMap<>(SLA_MINUTES);
        return store.saveTaxonomy(TEAMS, PRIORITIES, sla)
                .thenCompose(v -> store.saveTickets(rows, ACTOR))
                .thenApply((ImportBatchResult r) -> new InstallResult(r.createdIds().size(), r.alreadyPresent()));
    }

    /**
     * What the first-run offer loads "to try Switchboard": {@link #install} and, waiting for triage, the replay's
     * tickets as open tickets (arrived a minute apart over the last hour and a half, in replay order; the
     * repeated report is a probable duplicate). The history alone left
     * the open queue empty ("No tickets match"), with nothing to try. Idempotent, as {@link #install}.
     */
    public CompletableFuture<InstallResult> installWithOpenTickets(TicketStore store) {
        Instant now = Instant.now();
        List<NewTicket> open = new ArrayList<>();
        for (int i = 0; i < replay.size(); i++) {
            SampleTicket t = replay.get(i);
            open.add(new NewTicket(SOURCE, t.key(), t.subject(), t.body(), t.requester(),
                    now.minus(Duration.ofMinutes(replay.size() - i)), null, null));
        }
        return install(store).thenCompose(h -> store.saveTickets(open, ACTOR).thenApply((ImportBatchResult r) ->
                new InstallResult(h.created() + r.createdIds().size(), h.alreadyPresent() + r.alreadyPresent())));
    }

    /** A replay of {@link #replayTickets()} into {@code store}, one every {@code interval}; call {@link DemoReplay#start()}. */
    public DemoReplay replay(TicketStore store, Duration interval) {
        return new DemoReplay(store, replay, interval);
    }

    /** Generates tickets from templates (package-private for tests). */
    static final class SampleGenerator {
        private final Random rnd;

        SampleGenerator(long seed) {
            this.rnd = new Random(seed);
        }

        List<SampleTicket> history(int n) {
            List<SampleTicket> out = new ArrayList<>();
            // Outage bursts: near-duplicates within minutes of each other.
            int burstAt = n / 3;
            int burst2At = 2 * n / 3;
            long minutesAgo = 60L * 24 * 60; // 60 days back, moving forward
            while (out.size() < n) {
                int i = out.size();
                List<String[]> burst = i == burstAt ? SampleTemplates.VPN_OUTAGE : i == burst2At ? SampleTemplates.MAIL_OUTAGE : null;
                if (burst != null) {
                    for (String[] b : burst) {
                        minutesAgo -= 2 + rnd.nextInt(6);
                        out.add(make("sample-h" + String.format("%04d", out.size() + 1), b, minutesAgo, true));
                    }
                    continue;
                }
                minutesAgo -= 60 + rnd.nextInt(360);
                String[] tpl = SampleTemplates.ALL.get(rnd.nextInt(SampleTemplates.ALL.size()));
                out.add(make("sample-h" + String.format("%04d", out.size() + 1), tpl, minutesAgo, true));
            }
            return List.copyOf(out);
        }

        List<SampleTicket> replay(int n) {
            List<SampleTicket> out = new ArrayList<>();
            int burstAt = n / 4;
            int dupAt = n / 2;
            while (out.size() < n) {
                int i = out.size();
                if (i == burstAt) {
                    for (String[] b : SampleTemplates.SAP_OUTAGE) out.add(make("demo-" + String.format("%04d", out.size() + 1), b, 0, false));
                    continue;
                }
                // every ninth arrival is a ticket between two teams, unlike anything in the history
                String[] tpl = i % 9 == 4
                        ? SampleTemplates.BORDERLINE.get((i / 9) % SampleTemplates.BORDERLINE.size())
                        : SampleTemplates.ALL.get(rnd.nextInt(SampleTemplates.ALL.size()));
                out.add(make("demo-" + String.format("%04d", out.size() + 1), tpl, 0, false));
                if (i == dupAt) {
                    // The same person reports the same problem again a little later, in other words.
                    SampleTicket prev = out.get(out.size() - 1);
                    out.add(new SampleTicket("demo-" + String.format("%04d", out.size() + 1), "RE: " + prev.subject(),
                            "Any update? " + prev.body(), prev.requester(), prev.team(), prev.priority(), 0));
                }
            }
            return List.copyOf(out.subList(0, n));
        }

        /** tpl = {team, priority, subject, body}; placeholders are filled at random. */
        private SampleTicket make(String key, String[] tpl, long minutesAgo, boolean history) {
            String first = pick(SampleTemplates.FIRST);
            String last = pick(SampleTemplates.LAST);
            Map<String, String> vars = Map.of(
                    "{name}", first + " " + last,
                    "{first}", first,
                    "{app}", pick(SampleTemplates.APPS),
                    "{site}", pick(SampleTemplates.SITES),
                    "{device}", pick(SampleTemplates.DEVICES),
                    "{time}", (7 + rnd.nextInt(10)) + ":" + String.format("%02d", rnd.nextInt(12) * 5),
                    "{n}", String.valueOf(2 + rnd.nextInt(40)),
                    "{ticket}", "INC" + (100_000 + rnd.nextInt(900_000)),
                    "{share}", pick(SampleTemplates.SHARES));
            String subject = fill(tpl[2], vars);
            String body = fill(tpl[3], vars);
            if (rnd.nextInt(100) < 12) subject = typo(subject);
            if (rnd.nextInt(100) < 10) body = typo(body);
            if (rnd.nextInt(100) < 30) body = body + "\n\n" + pick(SampleTemplates.SIGN_OFFS).replace("{first}", first);
            String priority = tpl[1];
            if (rnd.nextInt(100) < 12) priority = shift(priority);
            String requester = first.toLowerCase(java.util.Locale.ROOT) + "." + last.toLowerCase(java.util.Locale.ROOT)
                    .replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss") + "@example.com";
            return new SampleTicket(key, subject, body, requester, tpl[0], priority, history ? Math.max(1, minutesAgo) : 0);
        }

        private String shift(String p) {
            int v = p.charAt(1) - '0' + (rnd.nextBoolean() ? 1 : -1);
            return "P" + Math.max(1, Math.min(4, v));
        }

        private String typo(String s) {
            int tries = 0;
            while (tries++ < 10) {
                int i = 1 + rnd.nextInt(Math.max(1, s.length() - 2));
                if (i + 1 < s.length() && Character.isLetter(s.charAt(i)) && Character.isLetter(s.charAt(i + 1))) {
                    return s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2);
                }
            }
            return s;
        }

        private String pick(List<String> list) {
            return list.get(rnd.nextInt(list.size()));
        }

        private static String fill(String s, Map<String, String> vars) {
            String out = s;
            for (var e : vars.entrySet()) out = out.replace(e.getKey(), e.getValue());
            return out;
        }
    }

}
