package org.ecpds.mover.transfer.ftp;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.function.Function;
import org.apache.commons.net.ftp.FTPClientConfig;
import org.apache.commons.net.ftp.FTPFileEntryParser;
import org.apache.commons.net.ftp.parser.DefaultFTPFileEntryParserFactory;
import org.apache.commons.net.ftp.parser.ParserInitializationException;

/**
 * How the server formats LIST output, handed to commons-net's parsers through an
 * {@link FTPClientConfig} (the same keys as OpenECPDS): {@code ftp.systemKey} (UNIX, WINDOWS, VMS,
 * OS/2, OS/400, AS/400, MVS, NETWARE, MACOS PETER, UNIX_LTRIM; default UNIX),
 * {@code ftp.defaultDateFormat}, {@code ftp.recentDateFormat} (SimpleDateFormat patterns),
 * {@code ftp.serverLanguageCode} (e.g. "de"), {@code ftp.shortMonthNames} ("jan|feb|...") and
 * {@code ftp.serverTimeZoneId} (or {@code ftp.serverTimeZone}; default UTC). Blank means the
 * parser's own default. MLSD listings ignore all of these (their times are UTC by definition).
 */
record FtpListFormat(String systemKey, String defaultDateFormat, String recentDateFormat,
    String serverLanguageCode, String shortMonthNames, String serverTimeZoneId) {

  static final FtpListFormat UNIX_UTC = new FtpListFormat(FTPClientConfig.SYST_UNIX, null, null, null, null, "UTC");

  /**
   * Reads the options through {@code get} (key without prefix to value or null) and checks that
   * commons-net can build a parser from them, so a bad value fails at connect, naming the option.
   */
  static FtpListFormat parse(Function<String, String> get) {
    String zone = get.apply("serverTimeZoneId");
    if (zone == null) zone = get.apply("serverTimeZone");
    if (zone == null) zone = "UTC";
    try {
      ZoneId.of(zone); // TimeZone.getTimeZone would silently take GMT for a misspelt id
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("ftp.serverTimeZoneId: unknown time zone '" + zone + "'");
    }
    String key = get.apply("systemKey");
    FtpListFormat f = new FtpListFormat(key == null ? FTPClientConfig.SYST_UNIX : key.toUpperCase(Locale.ROOT),
        get.apply("defaultDateFormat"), get.apply("recentDateFormat"), get.apply("serverLanguageCode"),
        get.apply("shortMonthNames"), zone);
    try {
      f.parser();
    } catch (ParserInitializationException | IllegalArgumentException e) {
      throw new IllegalArgumentException("ftp.systemKey/date formats: " + e.getMessage());
    }
    return f;
  }

  FTPClientConfig config() {
    FTPClientConfig c = new FTPClientConfig(systemKey);
    if (defaultDateFormat != null) c.setDefaultDateFormatStr(defaultDateFormat);
    if (recentDateFormat != null) c.setRecentDateFormatStr(recentDateFormat);
    if (serverLanguageCode != null) c.setServerLanguageCode(serverLanguageCode);
    if (shortMonthNames != null) c.setShortMonthNames(shortMonthNames);
    c.setServerTimeZoneId(serverTimeZoneId);
    c.setLenientFutureDates(true); // a server clock slightly ahead must not move "recent" dates a year back
    return c;
  }

  /** The commons-net LIST parser for this format. */
  FTPFileEntryParser parser() {
    return new DefaultFTPFileEntryParserFactory().createFileEntryParser(config());
  }
}
