package dev.switchboard.app.ui;

import java.util.Comparator;

/**
 * Orders names as people read them: runs of digits by their value ("GRP_2" before "GRP_10"), the rest
 * case-insensitively, ties broken by the plain string so distinct names never compare equal.
 */
public final class NaturalOrder implements Comparator<String> {

    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {}

    /** ASCII digits only: other scripts' digits compare as characters (mixing them would break transitivity). */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (isDigit(ca) && isDigit(cb)) {
                int si = i;
                int sj = j;
                while (si < a.length() && a.charAt(si) == '0') si++;
                while (sj < b.length() && b.charAt(sj) == '0') sj++;
                int ei = si;
                int ej = sj;
                while (ei < a.length() && isDigit(a.charAt(ei))) ei++;
                while (ej < b.length() && isDigit(b.charAt(ej))) ej++;
                int byLength = Integer.compare(ei - si, ej - sj); // more significant digits: larger
                if (byLength != 0) return byLength;
                int byDigits = a.substring(si, ei).compareTo(b.substring(sj, ej));
                if (byDigits != 0) return byDigits;
                i = ei;
                j = ej;
            } else {
                int c = Character.compare(Character.toLowerCase(ca), Character.toLowerCase(cb));
                if (c != 0) return c;
                i++;
                j++;
            }
        }
        int byRest = Integer.compare(a.length() - i, b.length() - j);
        return byRest != 0 ? byRest : a.compareTo(b);
    }
}
