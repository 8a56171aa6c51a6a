package dev.switchboard.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {

    @Test
    void teamsSortAsPeopleReadThem() {
        List<String> teams = new ArrayList<>(List.of("GRP_10", "GRP_2", "grp_3", "GRP_0", "GRP_1", "Network", "GRP_02"));
        teams.sort(NaturalOrder.INSTANCE);
        assertThat(teams).containsExactly("GRP_0", "GRP_1", "GRP_02", "GRP_2", "grp_3", "GRP_10", "Network");
    }

    @Test
    void isATotalOrderEvenWithOtherScriptsDigits() {
        // a TreeSet of team names and the team picker's sort need a consistent order (List.sort throws otherwise)
        Random rnd = new Random(7);
        String alphabet = "_019\u0661\u0669\uff11aA";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 1 + rnd.nextInt(4); j > 0; j--) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            names.add(sb.toString());
        }
        NaturalOrder o = NaturalOrder.INSTANCE;
        for (String a : names) {
            for (String b : names) {
                assertThat(Integer.signum(o.compare(a, b))).isEqualTo(-Integer.signum(o.compare(b, a)));
                if (o.compare(a, b) == 0) assertThat(a).isEqualTo(b);
            }
        }
        for (int i = 0; i < 20_000; i++) {
            String a = names.get(rnd.nextInt(names.size()));
            String b = names.get(rnd.nextInt(names.size()));
            String c = names.get(rnd.nextInt(names.size()));
            if (o.compare(a, b) < 0 && o.compare(b, c) < 0) assertThat(o.compare(a, c)).as(a + " < " + b + " < " + c).isNegative();
        }
    }
}
