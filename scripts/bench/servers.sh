# Private loopback servers for the benchmarks (testbed recipes), sourced by scripts/bench/modules
# and scripts/bench/dissemination. The caller defines: BASE (temp dir), TUSER/TPASS (throw-away
# account), RCONF/RPASS (rclone config and obscured password), RCLONE (rclone command array),
# PIDS (array: processes to stop on exit), CREATED_USER, PURE_ROOT, S3PROXY_JAR, log and die.
# Each start_* function appends the matching remote to the rclone config. TLS=1 in the environment of
# start_nginx, start_apache or start_s3proxy adds an HTTPS listener (self-signed) on NGX_TLS_PORT,
# APA_TLS_PORT or S3_TLS_PORT beside the plain one.
source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"
# a free port P with P+1..P+n free too (pure-ftpd's passive range): one listing of the listeners
free_range() { local p i ok listening; listening=" $(ss -Hltan | awk '{n=split($4,a,":"); print a[n]}' | tr '\n' ' ') "
  for _ in $(seq 500); do p=$(shuf -i 20000-$((32000 - $1)) -n 1); ok=1
    for i in $(seq 0 "$1"); do case "$TAKEN$listening" in *" $((p + i)) "*) ok=0; break ;; esac; done
    [ $ok = 1 ] && { for i in $(seq 0 "$1"); do TAKEN="$TAKEN$((p + i)) "; done; echo "$p"; return 0; }; done; return 1; }
selfsigned() { openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null; }

# CPU seconds ever used by server $1 and the processes it started, exited ones included; a difference
# of two readings is what a server (sshd and its session processes, pure-ftpd and its per-client
# children, the s3proxy JVM) spent in between. Where the cpuacct cgroup hierarchy is writable (root,
# cgroup v1) each server started here runs in a group of its own (cpu_group) and the group's total is
# exact. Elsewhere the /proc walk: a process's own user + system time plus its reaped children's
# (cutime + cstime), summed over $1 and its live descendants; it loses a process orphaned to init
# (sshd's session processes, once read as -0.44 s over an rclone run) and skips one that ends while
# the list is read (under pipefail its failed read once ended a bench)
CPUACCT=/sys/fs/cgroup/cpuacct
cpu_group() { local g="$CPUACCT/ecpds-bench-$1"
  [ "${BENCH_CPU_GROUPS:-1}" = 1 ] && [ -w "$CPUACCT" ] && mkdir "$g" 2>/dev/null && { echo "$1" > "$g/cgroup.procs" 2>/dev/null || rmdir "$g"; }; true; }
tree_cpu() { local s g="$CPUACCT/ecpds-bench-$1"
  if [ -r "$g/cpuacct.usage" ]; then awk '{ printf "%.2f\n", $1 / 1e9 }' "$g/cpuacct.usage"; return; fi
  for s in /proc/[0-9]*/stat; do cat "$s" 2>/dev/null || true; done | sed -E 's/^([0-9]+) \(.*\) /\1 /' | \
  awk -v root="$1" -v hz="$(getconf CLK_TCK)" '{ pp[$1] = $3; t[$1] = $13 + $14 + $15 + $16 }
    END { s = 0; for (p in t) { q = p; while (q != "" && q != root && q > 1) q = pp[q]; if (q == root) s += t[p] }
          printf "%.2f\n", s / hz }'; }
# tree_cpu PID now, minus an earlier reading START: what the server spent in between
tree_cpu_since() { awk -v a="$2" -v b="$(tree_cpu "$1")" 'BEGIN { printf "%.2f", b - a }'; }
# stops the servers in PIDS and removes their CPU groups (a group with a process left in it stays)
stop_servers() { local p g
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do g="$CPUACCT/ecpds-bench-$p"; [ -d "$g" ] || continue
    for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$g" 2>/dev/null && break; sleep 0.2; done; done; true; }

# ------------------------------------------------------------------ servers (testbed recipes)
SSH_PORT=; SSHD=$BASE/sshd
start_sshd() {
  log "starting a private sshd (account $TUSER)"
  if getent passwd "$TUSER" >/dev/null; then die "account $TUSER exists already"; fi
  useradd -M -d "$BASE/home" -s /bin/bash -c "ecpds benchmark account" "$TUSER"; CREATED_USER=1
  echo "$TUSER:$TPASS" | chpasswd
  install -d -m 755 -o "$TUSER" -g "$TUSER" "$BASE/home" "$BASE/home/upload"
  mkdir -p "$SSHD"; SSH_PORT=$(free_port)
  ssh-keygen -q -t ed25519 -N '' -f "$SSHD/ssh_host_ed25519_key"
  ssh-keygen -q -t rsa -b 3072 -N '' -f "$SSHD/ssh_host_rsa_key"
  cat > "$SSHD/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSHD/ssh_host_ed25519_key
HostKey $SSHD/ssh_host_rsa_key
PidFile $SSHD/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication yes
PubkeyAuthentication no
AllowUsers $TUSER
MaxStartups 100:30:200
MaxSessions 50
LogLevel DEBUG1
Subsystem sftp internal-sftp
EOF
  [ -d /run/sshd ] || install -d -m 0755 /run/sshd
  /usr/sbin/sshd -t -f "$SSHD/sshd_config"
  /usr/sbin/sshd -D -e -f "$SSHD/sshd_config" </dev/null >"$SSHD/sshd.log" 2>&1 & PIDS+=($!); SSHD_PID=$!; cpu_group "$SSHD_PID"
  wait_port "$SSH_PORT" 20 || die "sshd did not start: $(tail -5 "$SSHD/sshd.log")"
  # commands, not functions, so that timeout(1) can run them; sshpass -e reads the exported SSHPASS
  SFTP_CMD=(sshpass -e sftp "${SSH_OPTS[@]}" -P "$SSH_PORT")
  SCP_CMD=(sshpass -e scp -O "${SSH_OPTS[@]}" -P "$SSH_PORT")
  cat >> "$RCONF" <<EOF
[sshd]
type = sftp
host = 127.0.0.1
port = $SSH_PORT
user = $TUSER
pass = $RPASS
disable_hashcheck = true
EOF
}
SSH_OPTS=(-F /dev/null -o StrictHostKeyChecking=no -o "UserKnownHostsFile=$SSHD/known_hosts" -o LogLevel=ERROR
  -o PubkeyAuthentication=no -o BatchMode=no)

FTP_PORT=; FTPD=$BASE/pureftpd
start_pureftpd() {
  log "starting a private pure-ftpd (virtual user $TUSER, explicit TLS offered)"
  mkdir -p "$FTPD/data"; chown 65534:65534 "$FTPD/data"
  selfsigned "$FTPD"; cat "$FTPD/key.pem" "$FTPD/cert.pem" > "$FTPD/pure-ftpd.pem"; chmod 600 "$FTPD/pure-ftpd.pem"
  printf '%s:%s:65534:65534::%s/./::::::::::::\n' "$TUSER" "$(openssl passwd -6 "$TPASS")" "$FTPD/data" > "$FTPD/pureftpd.passwd"
  "$PURE_ROOT/usr/bin/pure-pw" mkdb "$FTPD/pureftpd.pdb" -f "$FTPD/pureftpd.passwd"
  # a passive port stays in TIME_WAIT for a minute after each data connection: 40 ports ran out after
  # ecpds's 1,000 files, and rclone's run that followed got "425 Unable to identify the local data socket"
  FTP_PORT=$(free_port); local pasv; pasv=$(free_range 1500)
  "$PURE_ROOT/usr/sbin/pure-ftpd" --bind 127.0.0.1,"$FTP_PORT" --login puredb:"$FTPD/pureftpd.pdb" \
    --noanonymous --chrooteveryone --dontresolve --minuid 1 --umask 133:022 \
    --passiveportrange "$pasv:$((pasv + 1500))" --forcepassiveip 127.0.0.1 \
    --tls 1 --certfile "$FTPD/pure-ftpd.pem" --pidfile "$FTPD/pure-ftpd.pid" \
    --maxclientsnumber 50 --maxclientsperip 50 ${PUREFTPD_EXTRA:-} </dev/null >"$FTPD/pure-ftpd.out" 2>&1 & PIDS+=($!); FTPD_PID=$!; cpu_group "$FTPD_PID"
  wait_port "$FTP_PORT" 20 || die "pure-ftpd did not start: $(tail -5 "$FTPD/pure-ftpd.out")"
  cat >> "$RCONF" <<EOF
[ftp]
type = ftp
host = 127.0.0.1
port = $FTP_PORT
user = $TUSER
pass = $RPASS
[ftps]
type = ftp
host = 127.0.0.1
port = $FTP_PORT
user = $TUSER
pass = $RPASS
explicit_tls = true
no_check_certificate = true
EOF
}

NGX_PORT=; NGX_TLS_PORT=; NGX=$BASE/nginx
start_nginx() {
  log "starting a private nginx (PUT/GET, basic auth)"
  mkdir -p "$NGX/logs" "$NGX/www" "$NGX/tmp"; chown nobody:nogroup "$NGX/www" "$NGX/tmp"
  printf '%s:%s\n' "$TUSER" "$(openssl passwd -apr1 "$TPASS")" > "$NGX/htpasswd"; chmod 644 "$NGX/htpasswd"
  NGX_PORT=$(free_port); local tls=""
  if [ "${TLS:-0}" = 1 ]; then
    selfsigned "$NGX"; NGX_TLS_PORT=$(free_port)
    tls="listen 127.0.0.1:$NGX_TLS_PORT ssl; ssl_certificate $NGX/cert.pem; ssl_certificate_key $NGX/key.pem;"
  fi
  cat > "$NGX/nginx.conf" <<EOF
daemon off;
worker_processes 1;
user nobody nogroup;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  client_body_temp_path $NGX/tmp/body;
  proxy_temp_path $NGX/tmp/proxy;
  fastcgi_temp_path $NGX/tmp/fastcgi;
  uwsgi_temp_path $NGX/tmp/uwsgi;
  scgi_temp_path $NGX/tmp/scgi;
  client_max_body_size 0;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$NGX_PORT;
    $tls
    root $NGX/www;
    location / {
      autoindex on;
      dav_methods PUT DELETE MKCOL COPY MOVE;
      create_full_put_path on;
      dav_access user:rw group:rw all:r;
      auth_basic "ecpds bench";
      auth_basic_user_file $NGX/htpasswd;
    }
  }
}
EOF
  nginx -t -q -p "$NGX" -e "$NGX/logs/error.log" -c "$NGX/nginx.conf"
  nginx -p "$NGX" -e "$NGX/logs/error.log" -c "$NGX/nginx.conf" </dev/null >"$NGX/logs/nginx.out" 2>&1 & PIDS+=($!)
  wait_port "$NGX_PORT" 20 || die "nginx did not start: $(tail -5 "$NGX/logs/error.log")"
}

APA_PORT=; APA_TLS_PORT=; APA=$BASE/apache
start_apache() {
  log "starting a private Apache httpd (mod_dav, basic auth)"
  mkdir -p "$APA/logs" "$APA/run" "$APA/www" "$APA/davlock"; chown www-data:www-data "$APA/www" "$APA/davlock"
  htpasswd -bcB -C 5 "$APA/htpasswd" "$TUSER" "$TPASS" 2>/dev/null; chmod 644 "$APA/htpasswd"
  APA_PORT=$(free_port); local mods=""
  if [ "${TLS:-0}" = 1 ]; then selfsigned "$APA"; APA_TLS_PORT=$(free_port); mods=ssl; fi
  { for m in $mods mpm_event authn_core authn_file authz_core authz_user auth_basic mime dir autoindex dav dav_fs socache_shmcb
    do echo "LoadModule ${m}_module /usr/lib/apache2/modules/mod_$m.so"; done
    cat <<EOF
ServerRoot "$APA"
ServerName localhost
DefaultRuntimeDir "$APA/run"
PidFile "$APA/run/httpd.pid"
Mutex file:$APA/run default
ErrorLog "$APA/logs/error.log"
User www-data
Group www-data
Listen 127.0.0.1:$APA_PORT
TypesConfig /etc/mime.types
DavLockDB "$APA/davlock/DavLock"
KeepAliveTimeout 30
MaxKeepAliveRequests 0
DocumentRoot "$APA/www"
<Directory "$APA/www">
  Dav On
  Options Indexes
  AuthType Basic
  AuthName "ecpds bench"
  AuthUserFile "$APA/htpasswd"
  Require valid-user
</Directory>
EOF
    [ -z "$APA_TLS_PORT" ] || cat <<EOF
Listen 127.0.0.1:$APA_TLS_PORT https
SSLSessionCache shmcb:$APA/run/ssl_scache(512000)
<VirtualHost 127.0.0.1:$APA_TLS_PORT>
  SSLEngine on
  SSLCertificateFile "$APA/cert.pem"
  SSLCertificateKeyFile "$APA/key.pem"
</VirtualHost>
EOF
  } > "$APA/httpd.conf"
  apache2 -t -f "$APA/httpd.conf" 2>"$APA/logs/configtest.out" || die "apache config: $(cat "$APA/logs/configtest.out")"
  apache2 -f "$APA/httpd.conf" -DFOREGROUND </dev/null >"$APA/logs/apache.out" 2>&1 & PIDS+=($!)
  wait_port "$APA_PORT" 20 || die "apache did not start: $(tail -5 "$APA/logs/error.log")"
  cat >> "$RCONF" <<EOF
[dav]
type = webdav
url = http://127.0.0.1:$APA_PORT/
vendor = other
user = $TUSER
pass = $RPASS
EOF
}

S3_PORT=; S3_TLS_PORT=; S3D=$BASE/s3proxy; S3_BUCKET=bench
start_s3proxy() {
  log "starting a private s3proxy (filesystem backend)"
  mkdir -p "$S3D/data"; S3_PORT=$(free_port)
  if [ "${TLS:-0}" = 1 ]; then
    selfsigned "$S3D"; S3_TLS_PORT=$(free_port)
    openssl pkcs12 -export -in "$S3D/cert.pem" -inkey "$S3D/key.pem" -name s3proxy -out "$S3D/keystore.p12" -passout "pass:$TPASS"
  fi
  (umask 077; cat > "$S3D/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$TUSER
s3proxy.credential=$TPASS
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3D/data
EOF
  [ -z "$S3_TLS_PORT" ] || printf 's3proxy.secure-endpoint=https://127.0.0.1:%s\ns3proxy.keystore-path=%s\ns3proxy.keystore-password=%s\n' \
    "$S3_TLS_PORT" "$S3D/keystore.p12" "$TPASS" >> "$S3D/s3proxy.conf"
  )
  java -Xmx512m -jar "$S3PROXY_JAR" --properties "$S3D/s3proxy.conf" </dev/null >"$S3D/s3proxy.log" 2>&1 & PIDS+=($!); S3PROXY_PID=$!; cpu_group "$S3PROXY_PID"
  wait_port "$S3_PORT" 60 || die "s3proxy did not start: $(tail -5 "$S3D/s3proxy.log")"
  local end=$((SECONDS + 60))
  until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$S3_PORT/" | grep -qE '^(200|403)$'; do
    [ $SECONDS -lt $end ] || die "s3proxy does not answer"; sleep 0.1; done
  cat >> "$RCONF" <<EOF
[s3]
type = s3
provider = Other
access_key_id = $TUSER
secret_access_key = $TPASS
endpoint = http://127.0.0.1:$S3_PORT
region = us-east-1
force_path_style = true
EOF
  "${RCLONE[@]}" mkdir "s3:$S3_BUCKET" || die "cannot create the S3 bucket"
}
