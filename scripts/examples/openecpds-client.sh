#!/usr/bin/env bash
# An OpenECPDS-style REST v1 client: plain curl calls on the paths and parameters of OpenECPDS's
# /ecpds/v1 API (docs/rest-v1-compat.md), run against an ecpds master. It restores a destination
# from a backup, manages a data user and its associations, rotates a host option, registers a
# file by its source and purges it, then restores the destination backup and checks the option
# came back. Every call must succeed (curl --fail-with-body): the script stops at the first
# refusal, with the master's {"status":"error","message":...} on stdout.
#
# Environment:
#   ECPDS_URL     base URL, e.g. https://localhost:2640/ecpds/v1 (required)
#   ECPDS_USER    an operator (web user) name (required)
#   ECPDS_PASS    its password (required)
#   ECPDS_CACERT  the master's certificate PEM (required: the standalone's is ecpds-data/tls/cert.pem)
#   DEMO          name prefix of what the script creates (default: demo-v1)
set -euo pipefail

: "${ECPDS_URL:?set ECPDS_URL, e.g. https://localhost:2640/ecpds/v1}"
: "${ECPDS_USER:?set ECPDS_USER}"
: "${ECPDS_PASS:?set ECPDS_PASS}"
: "${ECPDS_CACERT:?set ECPDS_CACERT to the master certificate (PEM)}"
DEMO="${DEMO:-demo-v1}"
DEST="${DEMO}-dest"
HOST="${DEMO}-ftp"
SRC="${DEMO}-src"
USERID="${DEMO}-user"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# one call: a title line, then the JSON answer on one line
call() {
  local title="$1"
  shift
  echo "== $title"
  curl -sS --fail-with-body --cacert "$ECPDS_CACERT" -u "$ECPDS_USER:$ECPDS_PASS" "$@"
  echo
}

# a JSON field of the last answer (simple values only: enough for ids and sizes)
field() { sed -n "s/.*\"$1\":\\([^,}]*\\).*/\\1/p" | tr -d '"'; }

call "version" "$ECPDS_URL/version"

# a destination and its hosts, created by restoring a backup document
cat > "$WORK/create.json" <<JSON
{"backup":{"version":1,
  "hosts":[{"name":"$HOST","type":"dissemination","transferMethod":"ftp","address":"127.0.0.1","port":2121,
            "login":"demo","options":{"ftp.passive":"true"}},
           {"name":"$SRC","type":"source","transferMethod":"ftp","address":"127.0.0.1","port":2121}],
  "destinations":[{"name":"$DEST","comment":"made by openecpds-client.sh","maxConnections":2,
                   "hosts":[{"host":"$HOST","priority":0}]}]}}
JSON
call "destination restore (create)" -X PUT -H 'Content-Type: application/json' --data-binary "@$WORK/create.json" \
  "$ECPDS_URL/destination/backup"
call "destination list" "$ECPDS_URL/destination/list?id=$DEST"
call "destination details" "$ECPDS_URL/destination/$DEST"
echo "== destination backup"
curl -sS --fail-with-body --cacert "$ECPDS_CACERT" -u "$ECPDS_USER:$ECPDS_PASS" -o "$WORK/backup.json" \
  "$ECPDS_URL/destination/backup/$DEST"
cat "$WORK/backup.json"
echo
call "destination backups (all)" "$ECPDS_URL/destination/backup"

# a data user, its categories and its destination
call "incoming user add" -X POST -d "id=$USERID" -d "pass=$USERID-secret-1" -d "email=$USERID@example.org" -d "iso=GB" \
  "$ECPDS_URL/incoming/user/add"
call "incoming user add2" -X POST -d "id=$USERID" -d "email=changed@example.org" "$ECPDS_URL/incoming/user/add2"
call "incoming category add" -X POST -H 'Content-Type: application/json' -d '["ens","oper"]' \
  "$ECPDS_URL/incoming/category/add?id=$USERID"
call "incoming association add" -X POST -d "id=$USERID" -d "destination=$DEST" "$ECPDS_URL/incoming/association/add"
call "incoming association list" "$ECPDS_URL/incoming/association/list?id=$USERID"
call "incoming user list" "$ECPDS_URL/incoming/user/list?destination=$DEST"

# a host option rotated, as a token would be
call "host option" -X POST -d "value=false" "$ECPDS_URL/host/option?hostid=$HOST&name=FTP.passive"

# a file registered by its source, its size asked, then purged
PUT=$(curl -sS --fail-with-body --cacert "$ECPDS_CACERT" -u "$ECPDS_USER:$ECPDS_PASS" \
  "$ECPDS_URL/datafile/put?destination=$DEST&source=$SRC:/data/forecast.grib&target=forecast.grib&priority=20&metadata=stream%3Doper&standby=true")
echo "== datafile put"
echo "$PUT"
ID=$(echo "$PUT" | field dataFileId)
call "datafile size" "$ECPDS_URL/datafile/size?id=$ID"
call "datafile del" -X DELETE "$ECPDS_URL/datafile/del?id=$ID"

# the association and the user removed
call "incoming association del" -X DELETE "$ECPDS_URL/incoming/association/del?id=$USERID&destination=$DEST"
call "incoming user del" -X DELETE "$ECPDS_URL/incoming/user/del/$USERID"

# the backup taken before the option change restores it
{ printf '{"backup":'; cat "$WORK/backup.json" | sed 's/^{"status":"ok","backup"://; s/}$//'; printf '}'; } > "$WORK/restore.json"
call "destination restore" -X PUT -H 'Content-Type: application/json' --data-binary "@$WORK/restore.json" \
  "$ECPDS_URL/destination/backup"
echo "== restored option"
curl -sS --fail-with-body --cacert "$ECPDS_CACERT" -u "$ECPDS_USER:$ECPDS_PASS" "$ECPDS_URL/destination/backup/$DEST" \
  | grep -o '"ftp.passive":"[a-z]*"'
echo "== done"
