#!/bin/sh
# Makes the client-certificate fixtures of the TLS tests (valid until about 2126):
# a client CA, a client certificate it issued with its key (plain, encrypted with the
# passphrase "gatescope-test", and as a PKCS#12 file with that passphrase), and a
# second, self-issued client certificate that no test server trusts. None protects
# anything. Run from this folder; the outputs are committed.
set -eu
days=36500
openssl req -x509 -newkey rsa:2048 -nodes -keyout client-ca.key -out client-ca.crt \
    -days $days -subj "/CN=Gatescope test client CA"
openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr \
    -subj "/CN=Gatescope test client"
openssl x509 -req -in client.csr -CA client-ca.crt -CAkey client-ca.key -CAcreateserial \
    -out client.crt -days $days
openssl pkcs8 -topk8 -in client.key -out client-encrypted.key -passout pass:gatescope-test
openssl pkcs12 -export -in client.crt -inkey client.key -certfile client-ca.crt \
    -out client.p12 -passout pass:gatescope-test -name "Gatescope test client"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout stranger.key \
    -out stranger.crt -days $days -subj "/CN=Gatescope stranger"
rm -f client.csr client-ca.srl
