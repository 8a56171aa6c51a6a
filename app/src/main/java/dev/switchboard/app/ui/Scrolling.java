package dev.switchboard.app.ui;

import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.ScrollPane;

/** Dialogs that must fit a small screen (1024×700): a scrolling form that follows the keyboard focus. */
public final class Scrolling {

    private Scrolling() {}

    /**
     * A scroll pane around {@code content}, as wide as its viewport and at least as tall (so the content's own
     * growing rows still fill a large window), scrolling only when the window is smaller than the content's
     * minimum height; the control that takes the keyboard focus is scrolled into view (JavaFX does not do that).
     */
    public static ScrollPane followingFocus(Node content) {
        ScrollPane sp = new ScrollPane(content);
        sp.setFitToWidth(true);
        sp.setFitToHeight(true);
        sp.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        sp.getStyleClass().add("edge-to-edge");
        sp.sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) scene.focusOwnerProperty().addListener((o2, b, n) -> reveal(sp, n));
        });
        return sp;
    }

    /** Scrolls {@code sp} so that {@code n}, if it lies in its content, is in view (its top when it is taller). */
    public static void reveal(ScrollPane sp, Node n) {
        Node content = sp.getContent();
        if (n == null || content == null || !inside(n, content)) return;
        double contentHeight = content.getLayoutBounds().getHeight();
        double viewport = sp.getViewportBounds().getHeight();
        if (contentHeight <= viewport || viewport <= 0) return;
        Bounds b = content.sceneToLocal(n.localToScene(n.getLayoutBounds()));
        double range = contentHeight - viewport;
        double top = (sp.getVvalue() - sp.getVmin()) / (sp.getVmax() - sp.getVmin()) * range;
        if (b.getMinY() < top) top = b.getMinY();
        else if (b.getMaxY() > top + viewport) top = Math.min(b.getMinY(), b.getMaxY() - viewport);
        sp.setVvalue(sp.getVmin() + Math.max(0, Math.min(1, top / range)) * (sp.getVmax() - sp.getVmin()));
    }

    private static boolean inside(Node n, Node ancestor) {
        for (Node p = n; p != null; p = p.getParent()) if (p == ancestor) return true;
        return false;
    }

    /** {@code preferred} clipped to the usable screen, leaving room for the window's frame and a panel. */
    public static double[] fit(double width, double height, Rectangle2D screen) {
        return new double[] {Math.min(width, screen.getWidth() - 40), Math.min(height, screen.getHeight() - 60)};
    }
}
