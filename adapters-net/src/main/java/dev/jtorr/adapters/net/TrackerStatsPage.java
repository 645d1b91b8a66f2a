package dev.jtorr.adapters.net;

import dev.jtorr.domain.tracker.TrackerStatistics;
import java.nio.charset.StandardCharsets;

/** The tracker's statistics page, as HTML for people and JSON for scripts. */
final class TrackerStatsPage {
    private TrackerStatsPage() {
    }

    static byte[] html(TrackerStatistics s) {
        var t = s.totals();
        String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>jtorr tracker</title></head><body>"
                + "<h1>jtorr tracker</h1><table>"
                + row("torrents", t.swarms()) + row("seeders", t.seeders()) + row("leechers", t.leechers())
                + row("completed downloads", t.completed()) + row("announces", s.announces())
                + row("scrapes", s.scrapes()) + row("refused announces", s.refused())
                + row("uptime (s)", s.uptime().toSeconds())
                + "</table><p>Announce at <code>/announce</code>, scrape at <code>/scrape</code>, "
                + "these figures as JSON at <code>/stats.json</code>.</p></body></html>\n";
        return page.getBytes(StandardCharsets.UTF_8);
    }

    private static String row(String name, long value) {
        return "<tr><th align=\"left\">" + name + "</th><td align=\"right\">" + value + "</td></tr>";
    }

    static byte[] json(TrackerStatistics s) {
        var t = s.totals();
        return ("{\"torrents\":" + t.swarms() + ",\"seeders\":" + t.seeders() + ",\"leechers\":" + t.leechers()
                + ",\"completed\":" + t.completed() + ",\"announces\":" + s.announces() + ",\"scrapes\":"
                + s.scrapes() + ",\"refused\":" + s.refused() + ",\"uptimeSeconds\":" + s.uptime().toSeconds()
                + "}\n").getBytes(StandardCharsets.UTF_8);
    }
}
