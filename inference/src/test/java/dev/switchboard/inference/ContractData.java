package dev.switchboard.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A small, clearly separable labelled history for engine contract tests. */
public final class ContractData {

    private ContractData() {}

    public static final Taxonomy TAXONOMY = new Taxonomy(List.of(
            new Taxonomy.Team("Network", "VPN, Wi-Fi, routers, firewalls, DNS and network connectivity"),
            new Taxonomy.Team("Access", "Passwords, account lockouts, login problems and permissions"),
            new Taxonomy.Team("Hardware", "Laptops, printers, monitors, keyboards and other devices"),
            new Taxonomy.Team("Database", "SQL databases, queries, tables, backups and database servers")),
            List.of(new Taxonomy.Priority("P1", "whole site down"), new Taxonomy.Priority("P2", "many users"),
                    new Taxonomy.Priority("P3", "one user")));

    static final String[][] TOPICS = {
        {"vpn", "wifi", "router", "firewall", "dns", "network", "connection", "switch", "ethernet", "proxy"},
        {"password", "login", "account", "locked", "permission", "reset", "credentials", "sign in", "mfa", "access"},
        {"laptop", "printer", "monitor", "keyboard", "mouse", "screen", "docking station", "battery", "toner", "headset"},
        {"database", "sql", "query", "table", "oracle", "backup", "index", "deadlock", "schema", "replication"}};
    static final String[] FILLER = {"issue", "since this morning", "urgent", "user reports", "not working", "help",
        "error", "again", "problem with", "cannot use"};

    /** {@code perTeam} generated tickets per team; priorities cycle P1..P3 with the topic. */
    public static List<LabelledTicket> history(int perTeam, long seed) {
        Random r = new Random(seed);
        List<LabelledTicket> out = new ArrayList<>();
        List<String> teams = TAXONOMY.teamNames();
        for (int i = 0; i < perTeam; i++) {
            for (int t = 0; t < teams.size(); t++) {
                out.add(LabelledTicket.of(ticket("h" + seed + "-" + t + "-" + i, TOPICS[t], r), teams.get(t), "P" + (1 + (t % 3))));
            }
        }
        return out;
    }

    public static List<LabelledTicket> history() {
        return history(12, 7);
    }

    static TicketText ticket(String id, String[] topic, Random r) {
        String a = topic[r.nextInt(topic.length)];
        String b = topic[r.nextInt(topic.length)];
        String f = FILLER[r.nextInt(FILLER.length)];
        return TicketText.of(id, a + " " + f, "The " + a + " and the " + b + " " + f + ". " + FILLER[r.nextInt(FILLER.length)]);
    }
}
