package dev.parley.web3.internal;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 3339 {@code date-time}, strictly: the syntax first, then the calendar (no month 13,
 * no February 31, no hour 25). A leap second ({@code :60}) is refused as a semantic error:
 * it cannot be represented and no wallet writes one.
 */
public final class DateTimes {
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");

    private DateTimes() {
    }

    /** Thrown with {@code semantic} false for bad syntax, true for an impossible date or time. */
    public static final class InvalidDateTime extends Exception {
        private final boolean semantic;

        InvalidDateTime(boolean semantic) {
            super(semantic ? "semantics" : "syntax", null, false, false);
            this.semantic = semantic;
        }

        public boolean semantic() {
            return semantic;
        }
    }

    public static OffsetDateTime parse(String s) throws InvalidDateTime {
        Matcher m = DATE_TIME.matcher(s);
        if (!m.matches()) {
            throw new InvalidDateTime(false);
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            int nanos = 0;
            if (m.group(7) != null) {
                String frac = (m.group(7).substring(1) + "000000000").substring(0, 9);
                nanos = Integer.parseInt(frac);
            }
            LocalTime time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)), nanos);
            String off = m.group(8);
            ZoneOffset offset = ZoneOffset.UTC;
            if (off.length() > 1) {
                int hours = Integer.parseInt(off.substring(1, 3));
                int minutes = Integer.parseInt(off.substring(4, 6));
                if (hours > 23 || minutes > 59) {
                    throw new InvalidDateTime(true);
                }
                int sign = off.charAt(0) == '-' ? -1 : 1;
                offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            }
            return OffsetDateTime.of(date, time, offset);
        } catch (DateTimeException e) {
            throw new InvalidDateTime(true);
        }
    }
}
