package dev.switchboard.app.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The queue shows a subject stored before bidi overrides and line breaks were removed on the way in as one plain line. */
class QueueViewTextTest {

    @Test
    void storedSubjectsAreShownOnOneLineWithoutBidiOverrides() {
        assertThat(QueueView.shown("Invoice \u202Egpj.exe\u202C please")).isEqualTo("Invoice gpj.exe please");
        assertThat(QueueView.shown("two\r\nlines\tand\u2028more")).isEqualTo("two lines and more");
        assertThat(QueueView.shown("Grüße \u200Fשלום")).isEqualTo("Grüße \u200Fשלום"); // a plain right-to-left mark stays
        assertThat(QueueView.shown(null)).isNull();
    }
}
