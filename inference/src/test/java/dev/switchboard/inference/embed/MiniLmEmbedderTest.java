package dev.switchboard.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {

    private static final List<String[]> PARAPHRASES = List.of(
            new String[] {"I cannot log in to my account, the password is rejected",
                    "login fails: my password is not accepted"},
            new String[] {"the printer on floor 3 is out of toner", "printer on the third floor needs a new toner cartridge"},
            new String[] {"VPN disconnects every few minutes from home", "my VPN connection keeps dropping when working remotely"});

    private static final String UNRELATED = "please order a new office chair for the new hire";

    @Test
    void quantizedModelLoadsAndAgreesWithFullPrecision() {
        MiniLmEmbedder q = new MiniLmEmbedder(MiniLmEmbedder.Variant.QUANTIZED, 500);
        MiniLmEmbedder fp = new MiniLmEmbedder(MiniLmEmbedder.Variant.FP32, 500);
        assertThat(q.modelId()).isNotEqualTo(fp.modelId());
        for (String[] p : PARAPHRASES) {
            float[] qa = q.embed(p[0]);
            assertThat(qa).hasSize(q.dimension());
            assertThat(Embedder.cosine(qa, qa)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
            // the same text under both models: nearly the same direction
            assertThat(Embedder.cosine(qa, fp.embed(p[0]))).isGreaterThan(0.95);
            // paraphrases stay closer than an unrelated request, and about as close as under fp32
            double qPara = Embedder.cosine(qa, q.embed(p[1]));
            double fpPara = Embedder.cosine(fp.embed(p[0]), fp.embed(p[1]));
            assertThat(qPara).isGreaterThan(Embedder.cosine(qa, q.embed(UNRELATED)) + 0.2);
            assertThat(Math.abs(qPara - fpPara)).isLessThan(0.05);
        }
    }

    @Test
    void sessionWithOneOnnxThreadGivesTheLibraryDefaultsVectors() {
        MiniLmEmbedder one = new MiniLmEmbedder(MiniLmEmbedder.Variant.QUANTIZED, 300, 1);
        MiniLmEmbedder lib = new MiniLmEmbedder(MiniLmEmbedder.Variant.QUANTIZED, 300, 0);
        assertThat(one.modelId()).isEqualTo(lib.modelId());
        for (String[] p : PARAPHRASES) {
            assertThat(Embedder.cosine(one.embed(p[0]), lib.embed(p[0]))).isGreaterThan(0.9999);
        }
        List<float[]> all = one.embedAll(List.of(PARAPHRASES.get(0)[0], PARAPHRASES.get(1)[0]));
        assertThat(Embedder.cosine(all.get(1), lib.embed(PARAPHRASES.get(1)[0]))).isGreaterThan(0.9999);
    }

    @Test
    void variantsParseAndIdsNameModelAndCutOff() {
        assertThat(MiniLmEmbedder.Variant.parse("q")).isEqualTo(MiniLmEmbedder.Variant.QUANTIZED);
        assertThat(MiniLmEmbedder.Variant.parse("fp32")).isEqualTo(MiniLmEmbedder.Variant.FP32);
        assertThatThrownBy(() -> MiniLmEmbedder.Variant.parse("int4")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new MiniLmEmbedder(MiniLmEmbedder.Variant.QUANTIZED, 300).modelId()).isEqualTo("all-minilm-l6-v2-q/c300");
        assertThat(new MiniLmEmbedder(MiniLmEmbedder.Variant.FP32, 300).modelId()).isEqualTo("all-minilm-l6-v2/c300");
        assertThat(new MiniLmEmbedder(300).variant()).as("the bundled model is the default").isEqualTo(MiniLmEmbedder.Variant.QUANTIZED);
    }
}
