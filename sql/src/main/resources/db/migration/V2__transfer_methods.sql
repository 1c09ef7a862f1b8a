-- The transfer methods the movers' modules serve (mover/src/main/java/org/ecpds/mover/transfer/*).
INSERT INTO transfer_method (name, module, comment) VALUES
  ('ftp', 'ftp', 'FTP (commons-net), passive by default'),
  ('ftps', 'ftp', 'FTP with explicit TLS (AUTH TLS)'),
  ('ftps-implicit', 'ftp', 'FTP with implicit TLS'),
  ('scp', 'scp', 'SCP over SSH (Apache MINA SSHD)'),
  ('s3', 's3', 'S3-compatible object store (minio-java)'),
  ('http', 'http', 'HTTP GET/PUT/POST with index listings'),
  ('https', 'http', 'HTTPS GET/PUT/POST with index listings'),
  ('webdav', 'webdav', 'WebDAV over HTTP'),
  ('webdavs', 'webdav', 'WebDAV over HTTPS'),
  ('local', 'local', 'A directory on a (shared) file system'),
  ('test', 'test', 'Sinks or generates bytes (benchmarks and fault tests)');
