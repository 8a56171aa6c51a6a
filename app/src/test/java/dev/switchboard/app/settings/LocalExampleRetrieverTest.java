package dev.switchboard.app.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.llm.ExampleRetriever;
import dev.switchboard.inference.local.LocalModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LLM's in-context examples show decided tickets as the local model learned them, comments included. */
class LocalExampleRetrieverTest {

    @TempDir Path dir;

    @Test
    void anExampleCarriesTheCommentsItWasDecidedWith() {
        String[][] topics = {{"Network", "vpn router wifi firewall"}, {"Desktop", "laptop printer monitor toner"},
                {"Identity", "password login account mfa"}};
        List<LabelledTicket> history = new ArrayList<>();
        for (String[] t : topics) {
            String[] words = t[1].split(" ");
            for (int i = 0; i < 6; i++) {
                history.add(LabelledTicket.of(TicketText.of(t[0] + i, words[i % 4] + " problem", "The " + words[(i + 1) % 4]
                        + " and the " + words[i % 4] + " fail"), t[0], "P3"));
            }
        }
        TicketText commented = new TicketText("77", "zorblax problem", "It hums.",
                List.of("The zorblax centrifuge overheats after the update."));
        history.add(LabelledTicket.of(commented, "Desktop", "P3"));
        LocalModel local = new LocalModel();
        local.train(history, null);
        Taxonomy tax = new Taxonomy(List.of(new Taxonomy.Team("Network", ""), new Taxonomy.Team("Desktop", ""),
                new Taxonomy.Team("Identity", "")), List.of(new Taxonomy.Priority("P3", "")));
        try (Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"))) {
            LocalExampleRetriever r = new LocalExampleRetriever(local, ws.store(), () -> tax);
            List<ExampleRetriever.Example> ex = r.nearest(TicketText.of("q", "zorblax centrifuge", "the zorblax centrifuge overheats"), 3);
            assertThat(ex).isNotEmpty();
            assertThat(ex.get(0).ticket().text()).isEqualTo(commented);
            assertThat(ex.get(0).ticket().team()).isEqualTo("Desktop");
        }
        assertThat(local.learnedText("77")).contains(commented);
        local.forget("77");
        assertThat(local.learnedText("77")).isEmpty();
    }
}
