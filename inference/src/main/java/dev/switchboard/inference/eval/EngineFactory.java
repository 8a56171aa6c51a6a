package dev.switchboard.inference.eval;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Progress;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TriageEngine;
import java.util.List;

/** Builds (and trains, if it learns) an engine from the training split. Time spent here is training time. */
@FunctionalInterface
public interface EngineFactory {
    TriageEngine create(List<LabelledTicket> train, Taxonomy taxonomy, Progress progress) throws Exception;
}
