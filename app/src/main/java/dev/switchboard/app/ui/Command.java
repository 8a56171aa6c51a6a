package dev.switchboard.app.ui;

import javafx.scene.input.KeyCombination;

/**
 * Every user command, defined once: id, label and shortcut. Menus, buttons, the key handler and the
 * shortcut overlay all read from here.
 */
public enum Command {
    IMPORT("file.import", "Import tickets…", "Shortcut+O"),
    EXPORT("file.export", "Export labelled dataset…", "Shortcut+E"),
    SETTINGS("file.settings", "Settings…", "Shortcut+Comma"),
    QUIT("file.quit", "Quit", "Shortcut+Q"),
    ACCEPT("triage.accept", "Accept suggestion", "Enter"),
    PICK_TEAM("triage.team", "Choose team…", "T"),
    PRIORITY_1("triage.p1", "Priority P1", "1"),
    PRIORITY_2("triage.p2", "Priority P2", "2"),
    PRIORITY_3("triage.p3", "Priority P3", "3"),
    PRIORITY_4("triage.p4", "Priority P4", "4"),
    REROUTE("triage.reroute", "Re-route (transfer)…", "R"),
    SNOOZE("triage.snooze", "Snooze 4 hours", "S"),
    MARK_DUPLICATE("triage.duplicate", "Mark duplicate…", "D"),
    SHOW_GROUP("queue.group", "Show with its probable duplicates", "G"),
    UNDO("triage.undo", "Undo last decision", "Z"),
    ASSIGN("triage.assign", "Mark assigned (team picked it up)", "Shortcut+Shift+G"),
    RESOLVE("triage.resolve", "Resolve", "Shortcut+Shift+R"),
    CLOSE_TICKET("triage.close", "Close", "Shortcut+Shift+C"),
    REOPEN("triage.reopen", "Reopen", "Shortcut+Shift+O"),
    BULK_ACCEPT("triage.bulk", "Accept confident suggestions…", "Shortcut+Shift+A"),
    FOCUS_SEARCH("queue.search", "Search", "Slash"),
    CLEAR_FILTERS("queue.clear", "Clear filters", "Shortcut+Shift+X"),
    NEXT("queue.next", "Next ticket", "J"),
    PREVIOUS("queue.previous", "Previous ticket", "K"),
    RETRAIN("model.retrain", "Retrain the local model", "Shortcut+Shift+L"),
    CANCEL_TRAINING("model.cancel", "Cancel training", "Shortcut+Shift+K"),
    QUALITY("model.quality", "Suggestion quality…", "Shortcut+Shift+S"),
    TOGGLE_THEME("view.theme", "Dark theme", "Shortcut+Shift+D"),
    SHORTCUTS("help.shortcuts", "Keyboard shortcuts", "Shift+Slash");

    private final String id;
    private final String label;
    private final KeyCombination key;

    Command(String id, String label, String key) {
        this.id = id;
        this.label = label;
        this.key = KeyCombination.valueOf(key);
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    public KeyCombination key() {
        return key;
    }

    /** True for commands that open a dialog. */
    public boolean opensDialog() {
        return this == PICK_TEAM || this == REROUTE || this == BULK_ACCEPT || this == SHORTCUTS || this == MARK_DUPLICATE
                || this == IMPORT || this == SETTINGS || this == EXPORT || this == QUALITY;
    }

    /** True for single-key shortcuts that must not fire while typing in a text field. */
    public boolean isPlainKey() {
        // Shift alone still types a character ("?"); Ctrl, Alt, Meta or Shortcut do not.
        // (getName() lists Shift first, so "Shortcut+Shift+X" reads "Shift+Shortcut+X": test the modifiers.)
        return key.getControl() != KeyCombination.ModifierValue.DOWN && key.getAlt() != KeyCombination.ModifierValue.DOWN
                && key.getMeta() != KeyCombination.ModifierValue.DOWN && key.getShortcut() != KeyCombination.ModifierValue.DOWN;
    }
}
