package dev.switchboard.inference.llm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.switchboard.inference.llm.TestFixtures.CTX;
import static dev.switchboard.inference.llm.TestFixtures.TAXONOMY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LlmReplyTest {

    @Test
    void lenientParsing() throws Exception {
        LlmReply r = LlmReply.parse("<think>hmm, VPN... {\"team\":\"Desktop\"}</think>\n```json\n{'Team': 'Network', priority: \"P2\", "
                + "/* sure */ \"Confidence\": \"85%\", \"rationale\": \"VPN\\u0007 issue\\n  again.\", \"duplicateOf\": \"T-7\",}\n```");
        assertThat(r.team()).isEqualTo("Network");
        assertThat(r.priority()).isEqualTo("P2");
        assertThat(r.confidence()).isEqualTo(0.85);
        assertThat(r.rationale()).isEqualTo("VPN issue again.");
        assertThat(r.duplicateOf()).isEqualTo("T-7");
    }

    @Test
    void confidenceForms() throws Exception {
        assertThat(LlmReply.parse("{\"team\":\"a\",\"confidence\":85}").confidence()).isEqualTo(0.85);
        assertThat(LlmReply.parse("{\"team\":\"a\",\"confidence\":\"100%\"}").confidence()).isEqualTo(1.0);
        assertThat(LlmReply.parse("{\"team\":\"a\",\"confidence\":0}").confidence()).isEqualTo(0.0);
        assertThat(LlmReply.parse("{\"team\":\"a\",\"confidence\":\"high\"}").confidence()).isEqualTo(0.85);
        assertThat(LlmReply.parse("{\"team\":\"a\"}").confidence()).isNaN();
    }

    @Test
    void aConfidenceOutsideZeroToOneAfterThePercentConversionCountsAsMissingAndSaysWhy() throws Exception {
        for (String bad : List.of("\"9999%\"", "\"101%\"", "-3", "\"-5%\"", "250", "1e9", "\"NaN\"", "\"very sure\"", "[0.9]")) {
            LlmReply r = LlmReply.parse("{\"team\":\"Network\",\"priority\":\"P2\",\"confidence\":" + bad + "}");
            assertThat(r.confidence()).as(bad).isNaN();
            assertThat(r.confidenceProblem()).as(bad).startsWith("the LLM's confidence \"").endsWith("so it counts as missing");
            var v = ReplyValidator.validate(r, CTX, List.of()).valid();
            assertThat(v.confidenceGiven()).as(bad).isFalse();
            assertThat(v.confidence()).isEqualTo(0.5);
            assertThat(v.confidenceNote()).isEqualTo(r.confidenceProblem());
        }
        assertThat(LlmReply.parse("{\"team\":\"a\",\"confidence\":\"9999%\"}").confidenceProblem())
                .isEqualTo("the LLM's confidence \"9999%\" is not a number from 0 to 1 (or 0 to 100%), so it counts as missing");
        assertThat(LlmReply.parse("{\"team\":\"a\"}").confidenceProblem()).isNull();
        assertThat(LlmReply.parse("{\"team\":\"a\",\"confidence\":\"85%\"}").confidenceProblem()).isNull();
    }

    @Test
    void malformed() {
        for (String bad : List.of("", "   ", "Network, P2", "{\"team\": ", "[1,2]", "} {")) {
            assertThatThrownBy(() -> LlmReply.parse(bad)).as(bad).isInstanceOf(LlmReply.MalformedReplyException.class);
        }
    }

    @Test
    void validation() throws Exception {
        var ok = ReplyValidator.validate(LlmReply.parse("{\"team\":\" network \",\"priority\":\"p1\",\"duplicate_of\":\"T-7\"}"),
                CTX, List.of("T-7"));
        assertThat(ok.ok()).isTrue();
        assertThat(ok.valid().team()).isEqualTo("Network");
        assertThat(ok.valid().priority()).isEqualTo("P1");
        assertThat(ok.valid().confidence()).isEqualTo(0.5);
        assertThat(ok.valid().duplicateOf()).isEqualTo("T-7");

        var unknownDup = ReplyValidator.validate(LlmReply.parse("{\"team\":\"Network\",\"priority\":\"P1\",\"duplicate_of\":\"T-999\"}"),
                CTX, List.of("T-7"));
        assertThat(unknownDup.valid().duplicateOf()).as("only ids the model was shown").isNull();

        var bad = ReplyValidator.validate(LlmReply.parse("{\"priority\":\"urgent\"}"), CTX, List.of());
        assertThat(bad.problems()).containsExactly("the reply has no team", "priority \"urgent\" is not one of the allowed priorities");

        var excluded = ReplyValidator.validate(LlmReply.parse("{\"team\":\"Security\",\"priority\":\"P1\"}"),
                new dev.switchboard.inference.TriageContext(TAXONOMY, List.of(), Set.of("Security")), List.of());
        assertThat(excluded.problems()).containsExactly("team \"Security\" already had this ticket and is excluded");
    }

    @Test
    void thinkBlocksAndFencesAreFoundAsBeforeAndInLinearTime() throws Exception {
        assertThat(LlmReply.stripThink("a<THINK>x</think>b<think>y</Think>c<think>open")).isEqualTo("abc<think>open");
        assertThat(LlmReply.fenced("pre ```json\n {\"a\":1} ``` post")).isEqualTo("{\"a\":1} ");
        assertThat(LlmReply.fenced("````{x}```")).isEqualTo("`{x}");
        assertThat(LlmReply.fenced("```json only one fence")).isNull();
        // replies within the 2 MB transport limit built to backtrack: "```" + letters made the fence pattern quadratic
        int twoMb = LlmTransport.MAX_REPLY_BYTES;
        for (String bad : List.of("```" + "a".repeat(twoMb - 3), "````" + "a".repeat(twoMb - 4), "<think>".repeat(twoMb / 7),
                "{" + "<think>".repeat(twoMb / 7))) {
            assertThatThrownBy(() -> LlmReply.parse(bad)).isInstanceOf(LlmReply.MalformedReplyException.class);
        }
        assertThat(LlmReply.parse("<think>" + "<think>".repeat(100_000) + "</think>{\"team\":\"Network\"}").team()).isEqualTo("Network");
    }
}
