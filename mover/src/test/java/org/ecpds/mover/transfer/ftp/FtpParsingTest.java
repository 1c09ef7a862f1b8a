package org.ecpds.mover.transfer.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClientConfig;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.parser.MLSxEntryParser;
import org.apache.commons.net.ftp.parser.UnixFTPEntryParser;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;
import org.junit.jupiter.api.Test;

/** Listing parsing (MLSD and the UNIX LIST fallback), reply classification and option parsing. */
class FtpParsingTest {
  @Test
  void mlsdEntries() {
    // as pure-ftpd sends them, cdir/pdir included
    FTPFile[] entries = {
        MLSxEntryParser.parseEntry("type=cdir;sizd=4096;modify=20240105101112;UNIX.mode=0755; ."),
        MLSxEntryParser.parseEntry("type=pdir;sizd=4096;modify=20240105101112;UNIX.mode=0755; .."),
        MLSxEntryParser.parseEntry("type=file;size=1234;modify=20240105101112.5;UNIX.mode=0644; a file é.bin"),
        MLSxEntryParser.parseEntry("type=dir;sizd=4096;modify=20231231235959;UNIX.mode=0755; sub"),
    };
    List<RemoteFile> files = FtpListing.toRemoteFiles(entries);
    assertThat(files).extracting(RemoteFile::name).containsExactly("a file é.bin", "sub");
    assertThat(files.get(0).size()).isEqualTo(1234);
    assertThat(files.get(0).directory()).isFalse();
    assertThat(Instant.ofEpochMilli(files.get(0).modifiedMillis())).isEqualTo(Instant.parse("2024-01-05T10:11:12.500Z"));
    assertThat(files.get(1).directory()).isTrue();
  }

  @Test
  void unixListEntries() {
    UnixFTPEntryParser p = new UnixFTPEntryParser();
    FTPClientConfig cfg = new FTPClientConfig(FTPClientConfig.SYST_UNIX);
    cfg.setServerTimeZoneId("UTC");
    p.configure(cfg);
    FTPFile[] entries = {
        p.parseFTPEntry("-rw-r--r--    1 1001     1001         4096 Jan 05  2024 a file é.bin"),
        p.parseFTPEntry("drwxr-xr-x    2 1001     1001         4096 Feb 29  2020 sub dir"),
        p.parseFTPEntry("total 8"),
    };
    List<RemoteFile> files = FtpListing.toRemoteFiles(entries);
    assertThat(files).extracting(RemoteFile::name).containsExactly("a file é.bin", "sub dir");
    assertThat(files.get(0).size()).isEqualTo(4096);
    assertThat(Instant.ofEpochMilli(files.get(0).modifiedMillis())).isEqualTo(Instant.parse("2024-01-05T00:00:00Z"));
    assertThat(files.get(1).directory()).isTrue();
  }

  @Test
  void replies() {
    assertThat(FtpErrors.replyKind(530, "530 Login incorrect.")).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(FtpErrors.replyKind(550, "550 Permission denied.")).isEqualTo(ErrorKind.PERMISSION);
    assertThat(FtpErrors.replyKind(550, "550 foo: No such file or directory")).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(FtpErrors.replyKind(550, "550 Failed to open file.")).isEqualTo(ErrorKind.PROTOCOL); // refined by a check
    assertThat(FtpErrors.replyKind(421, "421 Timeout.")).isEqualTo(ErrorKind.NETWORK);
    assertThat(FtpErrors.replyKind(426, "426 Failure writing network stream.")).isEqualTo(ErrorKind.NETWORK);
    assertThat(FtpErrors.replyKind(500, "500 Unknown command.")).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(FtpErrors.kindOf(new java.net.ConnectException("Connection refused"))).isEqualTo(ErrorKind.NETWORK);
    var handshake = new javax.net.ssl.SSLHandshakeException("PKIX path building failed");
    handshake.initCause(new java.security.cert.CertificateException("untrusted"));
    assertThat(FtpErrors.kindOf(handshake)).isEqualTo(ErrorKind.AUTHENTICATION);
  }

  @Test
  void options() throws Exception {
    FtpOptions d = FtpOptions.parse("ftp", Map.of());
    assertThat(d.security()).isEqualTo(FtpOptions.Security.NONE);
    assertThat(d.passive()).isTrue();
    assertThat(d.useTmp()).isTrue();
    assertThat(d.mkdirs()).isTrue();
    assertThat(d.defaultPort()).isEqualTo(21);
    assertThat(d.connectTimeout()).hasSeconds(30);
    assertThat(d.idleTimeout()).hasSeconds(60);

    FtpOptions e = FtpOptions.parse("ftps", Map.of("ftp.passive", "no", "ftps.usetmp", "no", "ftp.usetmp", "yes",
        "ectrans.connectTimeout", "5s", "ftps.idleTimeout", "2m"));
    assertThat(e.security()).isEqualTo(FtpOptions.Security.EXPLICIT);
    assertThat(e.passive()).isFalse();
    assertThat(e.useTmp()).isFalse(); // ftps.X wins over ftp.X
    assertThat(e.connectTimeout()).hasSeconds(5);
    assertThat(e.idleTimeout()).hasMinutes(2);

    assertThat(FtpOptions.parse("ftps-implicit", Map.of()).security()).isEqualTo(FtpOptions.Security.IMPLICIT);
    assertThat(FtpOptions.parse("ftps-implicit", Map.of()).defaultPort()).isEqualTo(990);
    assertThat(FtpOptions.parse("ftps", Map.of("ftps.implicit", "true")).security()).isEqualTo(FtpOptions.Security.IMPLICIT);
    assertThat(FtpOptions.parse("ftps", Map.of("ftps.connectionType", "FTPS")).security()).isEqualTo(FtpOptions.Security.IMPLICIT);
    assertThat(FtpOptions.parse("ftps", Map.of("ftps.connectionType", "ftpes")).security()).isEqualTo(FtpOptions.Security.EXPLICIT);
    assertThatThrownBy(() -> FtpOptions.parse("ftp", Map.of("ftp.passive", "maybe"))).isInstanceOf(TransferException.class)
        .satisfies(t -> assertThat(((TransferException) t).kind()).isEqualTo(ErrorKind.PROTOCOL));
  }

  static FtpListFormat format(Map<String, String> o) {
    return FtpListFormat.parse(k -> o.get(k));
  }

  static RemoteFile parse(FtpListFormat f, String line) {
    return FtpListing.toRemoteFile(f.parser().parseFTPEntry(line));
  }

  @Test
  void windowsListThroughTheSystemKey() {
    FtpListFormat f = format(Map.of("systemKey", "WINDOWS"));
    RemoteFile file = parse(f, "01-05-24  10:11AM              1234 report 2024.csv");
    assertThat(file.name()).isEqualTo("report 2024.csv");
    assertThat(file.size()).isEqualTo(1234);
    assertThat(Instant.ofEpochMilli(file.modifiedMillis())).isEqualTo(Instant.parse("2024-01-05T10:11:00Z"));
    RemoteFile dir = parse(f, "12-31-23  11:59PM       <DIR>          sub");
    assertThat(dir.directory()).isTrue();
    assertThat(parse(format(Map.of()), "01-05-24  10:11AM              1234 x")).as("UNIX by default").isNull();
  }

  @Test
  void unixSymlinkAndServerTimeZoneShift() {
    String line = "lrwxrwxrwx    1 0        0              10 Jan 05  2024 latest -> f00007.dat";
    RemoteFile utc = parse(format(Map.of()), line);
    assertThat(utc.name()).isEqualTo("latest");
    assertThat(utc.symlink()).isTrue();
    assertThat(Instant.ofEpochMilli(utc.modifiedMillis())).isEqualTo(Instant.parse("2024-01-05T00:00:00Z"));
    RemoteFile paris = parse(format(Map.of("serverTimeZoneId", "Europe/Paris")), line);
    assertThat(utc.modifiedMillis() - paris.modifiedMillis()).isEqualTo(3_600_000L);
    RemoteFile alias = parse(format(Map.of("serverTimeZone", "Europe/Paris")), line);
    assertThat(alias.modifiedMillis()).isEqualTo(paris.modifiedMillis());
  }

  @Test
  void languageMonthNamesAndDateFormats() {
    // "de" takes the JVM's German month abbreviations (CLDR: "Mai" but "Dez."): shortMonthNames is
    // the way to spell them out when a server prints others
    String mai = "-rw-r--r--    1 0        0              10 Mai 05  2023 mai.dat";
    RemoteFile de = parse(format(Map.of("serverLanguageCode", "de")), mai);
    assertThat(Instant.ofEpochMilli(de.modifiedMillis())).isEqualTo(Instant.parse("2023-05-05T00:00:00Z"));
    assertThat(parse(format(Map.of()), mai).modifiedMillis()).as("not an English month").isZero();
    RemoteFile custom = parse(format(Map.of("shortMonthNames", "jan|feb|mar|apr|mai|jun|jul|aug|sep|okt|nov|dez",
        "defaultDateFormat", "d MMM yyyy")), "-rw-r--r--    1 0        0              10 5 okt 2023 okt.dat");
    assertThat(Instant.ofEpochMilli(custom.modifiedMillis())).isEqualTo(Instant.parse("2023-10-05T00:00:00Z"));
  }

  @Test
  void badListFormatOptionsAreProtocolErrorsNamingTheOption() {
    assertThatThrownBy(() -> FtpOptions.parse("ftp", Map.of("ftp.systemKey", "NOSUCHSYSTEM")))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL))
        .hasMessageContaining("ftp.systemKey");
    assertThatThrownBy(() -> FtpOptions.parse("ftp", Map.of("ftp.serverTimeZoneId", "Mars/Olympus")))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL))
        .hasMessageContaining("ftp.serverTimeZoneId");
  }
}
