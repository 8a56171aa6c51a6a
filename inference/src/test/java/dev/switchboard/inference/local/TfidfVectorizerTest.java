package dev.switchboard.inference.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TfidfVectorizerTest {

    @Test
    void emailAddressesAndUrlsBecomeOneTokenEach() {
        assertThat(TfidfVectorizer.unigrams("received from: abc.def@gmail.com see https://x.example.org/a?b=1 now"))
                .containsExactly("received", "emailaddress", "see", "urladdress", "now");
    }

    @Test
    void wordVectorMatchesWordsOutsideTheVocabulary() {
        TfidfVectorizer vz = TfidfVectorizer.fit(List.of("vpn down", "vpn slow", "printer jam", "printer empty"), 2);
        SparseVec a = vz.wordVector("flux capacitor vpn");
        SparseVec b = vz.wordVector("flux capacitor");
        double dot = 0;
        for (int i = 0; i < a.idx().length; i++) {
            for (int j = 0; j < b.idx().length; j++) if (a.idx()[i] == b.idx()[j]) dot += a.val()[i] * b.val()[j];
        }
        assertThat(dot).isGreaterThan(0.5);
    }
}
