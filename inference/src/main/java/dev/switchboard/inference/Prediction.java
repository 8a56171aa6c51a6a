package dev.switchboard.inference;

/** One label with the engine's probability for it. */
public record Prediction(String label, double probability) {}
