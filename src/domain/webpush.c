/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * webpush.c - VAPID keys and tokens (RFC 8292) and message encryption
 * (RFC 8291, RFC 8188) with libcrypto (webpush.h).
 *
 * Layout: the key file; base64url and origins; the VAPID token; encryption.
 */
#include "webpush.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct webpush_key {
	EVP_PKEY *pkey;
	char public_text[WEBPUSH_POINT_TEXT];
};

/* ---- the key file ---- */

/* The uncompressed public point of a P-256 key; false when it is not one. */
static bool point_of(EVP_PKEY *k, unsigned char out[WEBPUSH_POINT_BYTES])
{
	unsigned char *p = NULL;
	size_t n = EVP_PKEY_get1_encoded_public_key(k, &p);
	bool ok = n == WEBPUSH_POINT_BYTES && p[0] == 0x04;
	if (ok)
		memcpy(out, p, n);
	OPENSSL_free(p);
	return ok;
}

static bool is_p256(EVP_PKEY *k)
{
	char group[32];
	size_t n = 0;
	return EVP_PKEY_is_a(k, "EC") &&
	       EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &n) == 1 &&
	       strcmp(group, "prime256v1") == 0;
}

/* Writes k as PEM to a new file (mode 0600, fsync'd); 0 or -1 with err. */
static int key_write(const char *path, EVP_PKEY *k, char *err, size_t err_len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, err_len, "cannot create the push key file %s: %s", path, strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	bool ok = f && PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) == 1 && fflush(f) == 0 && fsync(fd) == 0;
	if (f ? fclose(f) != 0 : close(fd) != 0)
		ok = false;
	if (!ok) {
		snprintf(err, err_len, "cannot write the push key file %s", path);
		unlink(path);
		return -1;
	}
	return 0;
}

/* Reads the key in path: NULL with errno ENOENT when there is none, else with err. */
static EVP_PKEY *key_read(const char *path, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		int saved = errno;
		if (saved != ENOENT)
			snprintf(err, err_len, "cannot read the push key file %s: %s", path, strerror(saved));
		errno = saved;
		return NULL;
	}
	/* As the master key: whoever reads it could push in this server's name. */
	struct stat st;
	EVP_PKEY *k = NULL;
	if (fstat(fileno(f), &st) != 0 || (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		snprintf(err, err_len,
		         "the push key file %s is open to other users; it must be readable by its owner alone: run "
		         "chmod 600 %s",
		         path, path);
	} else {
		k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		if (!k || !is_p256(k)) {
			snprintf(err, err_len, "the push key file %s is damaged (expected a PEM P-256 private key)",
			         path);
			EVP_PKEY_free(k);
			k = NULL;
		}
	}
	fclose(f);
	errno = EINVAL;
	return k;
}

struct webpush_key *webpush_key_load(const char *path, bool create, char *err, size_t err_len)
{
	err[0] = '\0';
	EVP_PKEY *pkey = key_read(path, err, err_len);
	if (!pkey && errno == ENOENT) {
		if (!create) {
			snprintf(err, err_len, "the push key file %s does not exist", path);
			return NULL;
		}
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		if (!pkey) {
			snprintf(err, err_len, "cannot make a push key pair");
			return NULL;
		}
		if (key_write(path, pkey, err, err_len) < 0) {
			EVP_PKEY_free(pkey);
			return NULL;
		}
	}
	if (!pkey)
		return NULL;
	unsigned char point[WEBPUSH_POINT_BYTES];
	if (!point_of(pkey, point)) {
		snprintf(err, err_len, "the push key in %s has no public point", path);
		EVP_PKEY_free(pkey);
		return NULL;
	}
	struct webpush_key *k = xcalloc(1, sizeof *k);
	k->pkey = pkey;
	sodium_bin2base64(k->public_text, sizeof k->public_text, point, sizeof point,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return k;
}

void webpush_key_free(struct webpush_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

const char *webpush_key_public(const struct webpush_key *k)
{
	return k->public_text;
}

/* ---- base64url and origins ---- */

bool webpush_decode(const char *text, unsigned char *out, size_t n)
{
	size_t len = 0;
	const char *end = NULL;
	if (!text || strlen(text) > 4 * n / 3 + 4)
		return false;
	/* "=" ignored: some clients pad, browsers do not */
	return sodium_base642bin(out, n, text, strlen(text), "=", &len, &end,
	                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
	       *end == '\0' && len == n;
}

bool webpush_origin(const char *url, char *out, size_t n)
{
	const char *sep = url ? strstr(url, "://") : NULL;
	if (!sep || sep == url)
		return false;
	const char *host = sep + 3;
	size_t len = (size_t)(host - url) + strcspn(host, "/?#");
	if (len == (size_t)(host - url) || len >= n)
		return false;
	memcpy(out, url, len);
	out[len] = '\0';
	return true;
}

/* ---- the VAPID token ---- */

/* base64url of n bytes into out (cap bytes), without padding. */
static void b64url(char *out, size_t cap, const unsigned char *in, size_t n)
{
	sodium_bin2base64(out, cap, in, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* An ES256 signature of msg as JWS wants it: r and s, 32 bytes each (not DER). */
static int sign_es256(EVP_PKEY *k, const char *msg, size_t len, unsigned char out[64])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char der[80];
	size_t der_len = sizeof der;
	int rc = -1;
	if (md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k) == 1 &&
	    EVP_DigestSign(md, der, &der_len, (const unsigned char *)msg, len) == 1) {
		const unsigned char *p = der;
		ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
		const BIGNUM *r = NULL, *s = NULL;
		if (sig) {
			ECDSA_SIG_get0(sig, &r, &s);
			if (BN_bn2binpad(r, out, 32) == 32 && BN_bn2binpad(s, out + 32, 32) == 32)
				rc = 0;
			ECDSA_SIG_free(sig);
		}
	}
	EVP_MD_CTX_free(md);
	return rc;
}

int webpush_vapid_header(const struct webpush_key *k, const char *endpoint, const char *subject, int64_t now_ms,
                         char out[WEBPUSH_VAPID_MAX])
{
	char aud[WEBPUSH_VAPID_MAX / 2];
	if (!webpush_origin(endpoint, aud, sizeof aud))
		return -1;
	/* RFC 8292 section 2: at most 24 hours; 12 leaves room for clocks that disagree */
	json_t *claims =
	    json_pack("{s:s, s:I, s:s}", "aud", aud, "exp", (json_int_t)(now_ms / 1000 + 12 * 3600), "sub", subject);
	char *payload = claims ? json_dumps(claims, JSON_COMPACT) : NULL;
	json_decref(claims);
	if (!payload)
		return -1;
	static const char header[] = "{\"typ\":\"JWT\",\"alg\":\"ES256\"}";
	char signing[WEBPUSH_VAPID_MAX], sig_text[90];
	unsigned char sig[64];
	size_t n = strlen(payload);
	int rc = -1;
	if (n < WEBPUSH_VAPID_MAX / 2) {
		size_t at = 0;
		b64url(signing, sizeof signing, (const unsigned char *)header, sizeof header - 1);
		at = strlen(signing);
		signing[at++] = '.';
		b64url(signing + at, sizeof signing - at, (const unsigned char *)payload, n);
		if (sign_es256(k->pkey, signing, strlen(signing), sig) == 0) {
			b64url(sig_text, sizeof sig_text, sig, sizeof sig);
			int w =
			    snprintf(out, WEBPUSH_VAPID_MAX, "vapid t=%s.%s, k=%s", signing, sig_text, k->public_text);
			rc = w > 0 && w < WEBPUSH_VAPID_MAX ? 0 : -1;
		}
	}
	free(payload);
	return rc;
}

/* ---- encryption ---- */

/* A P-256 key from its parts: the public point, and the private scalar when priv is not NULL. */
static EVP_PKEY *key_from(const unsigned char point[WEBPUSH_POINT_BYTES], const unsigned char *priv)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	BIGNUM *d = priv ? BN_bin2bn(priv, 32, NULL) : NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY *k = NULL;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (b && c && (!priv || d) && OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
	    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point, WEBPUSH_POINT_BYTES) &&
	    (!d || OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, d)) && (params = OSSL_PARAM_BLD_to_param(b)) &&
	    EVP_PKEY_fromdata_init(c) == 1)
		if (EVP_PKEY_fromdata(c, &k, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1)
			k = NULL;
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	BN_clear_free(d);
	EVP_PKEY_CTX_free(c);
	return k;
}

bool webpush_point_valid(const unsigned char p[WEBPUSH_POINT_BYTES])
{
	if (p[0] != 0x04)
		return false;
	/* the import decodes the point and refuses one off the curve; the check says so again */
	EVP_PKEY *k = key_from(p, NULL);
	EVP_PKEY_CTX *c = k ? EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL) : NULL;
	bool ok = c && EVP_PKEY_public_check(c) == 1;
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(k);
	return ok;
}

/* HKDF-SHA-256 (RFC 5869), extract and expand: n bytes into out. */
static int hkdf(const unsigned char *salt, size_t salt_len, const unsigned char *ikm, size_t ikm_len,
                const unsigned char *info, size_t info_len, unsigned char *out, size_t n)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *c = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0),
	    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikm_len),
	    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_len),
	    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_len),
	    OSSL_PARAM_construct_end(),
	};
	int rc = c && EVP_KDF_derive(c, out, n, params) == 1 ? 0 : -1;
	EVP_KDF_CTX_free(c);
	EVP_KDF_free(kdf);
	return rc;
}

/* ECDH of own's private key with the peer's public key: the 32-byte x coordinate. */
static int ecdh(EVP_PKEY *own, EVP_PKEY *peer, unsigned char out[32])
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, own, NULL);
	size_t n = 32;
	int rc = c && EVP_PKEY_derive_init(c) == 1 && EVP_PKEY_derive_set_peer(c, peer) == 1 &&
	                 EVP_PKEY_derive(c, out, &n) == 1 && n == 32
	             ? 0
	             : -1;
	EVP_PKEY_CTX_free(c);
	return rc;
}

/* AES-128-GCM of in (n bytes) into out, the tag after it. */
static int aes_gcm(const unsigned char key[16], const unsigned char nonce[12], const unsigned char *in, size_t n,
                   unsigned char *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int len = 0, fin = 0;
	int rc = c && EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, key, nonce) == 1 &&
	                 EVP_EncryptUpdate(c, out, &len, in, (int)n) == 1 &&
	                 EVP_EncryptFinal_ex(c, out + len, &fin) == 1 && (size_t)(len + fin) == n &&
	                 EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, WEBPUSH_TAG_BYTES, out + n) == 1
	             ? 0
	             : -1;
	EVP_CIPHER_CTX_free(c);
	return rc;
}

/* The keys of RFC 8291 section 3.4 and RFC 8188 section 2.2: the content key and the nonce. */
static int derive(const unsigned char secret[32], const unsigned char auth[WEBPUSH_AUTH_BYTES],
                  const unsigned char ua_public[WEBPUSH_POINT_BYTES],
                  const unsigned char as_public[WEBPUSH_POINT_BYTES], const unsigned char salt[WEBPUSH_SALT_BYTES],
                  unsigned char cek[16], unsigned char nonce[12])
{
	static const char key_label[] = "WebPush: info"; /* with its NUL */
	static const char cek_label[] = "Content-Encoding: aes128gcm";
	static const char nonce_label[] = "Content-Encoding: nonce";
	unsigned char info[sizeof key_label + 2 * WEBPUSH_POINT_BYTES], ikm[32];
	memcpy(info, key_label, sizeof key_label);
	memcpy(info + sizeof key_label, ua_public, WEBPUSH_POINT_BYTES);
	memcpy(info + sizeof key_label + WEBPUSH_POINT_BYTES, as_public, WEBPUSH_POINT_BYTES);
	int rc = hkdf(auth, WEBPUSH_AUTH_BYTES, secret, 32, info, sizeof info, ikm, sizeof ikm) == 0 &&
	                 hkdf(salt, WEBPUSH_SALT_BYTES, ikm, sizeof ikm, (const unsigned char *)cek_label,
	                      sizeof cek_label, cek, 16) == 0 &&
	                 hkdf(salt, WEBPUSH_SALT_BYTES, ikm, sizeof ikm, (const unsigned char *)nonce_label,
	                      sizeof nonce_label, nonce, 12) == 0
	             ? 0
	             : -1;
	OPENSSL_cleanse(ikm, sizeof ikm);
	return rc;
}

int webpush_encrypt(const unsigned char ua_public[WEBPUSH_POINT_BYTES], const unsigned char auth[WEBPUSH_AUTH_BYTES],
                    const unsigned char *plain, size_t len, size_t pad_to, const struct webpush_fixed *fixed,
                    unsigned char *out, size_t cap, size_t *out_len)
{
	/* the plaintext, the last record's delimiter 0x02, zeros to pad_to (RFC 8188 section 2) */
	size_t body = (len > pad_to ? len : pad_to) + 1;
	if (body + WEBPUSH_TAG_BYTES > WEBPUSH_RECORD_SIZE || WEBPUSH_HEADER_BYTES + body + WEBPUSH_TAG_BYTES > cap)
		return -1;
	EVP_PKEY *ua = key_from(ua_public, NULL);
	EVP_PKEY *as = fixed ? key_from(fixed->sender_public, fixed->sender_private)
	                     : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	unsigned char as_public[WEBPUSH_POINT_BYTES], salt[WEBPUSH_SALT_BYTES], secret[32], cek[16], nonce[12];
	unsigned char *record = NULL;
	int rc = -1;
	if (!ua || !as || !point_of(as, as_public))
		goto out;
	if (fixed)
		memcpy(salt, fixed->salt, sizeof salt);
	else if (RAND_bytes(salt, sizeof salt) != 1)
		goto out;
	if (ecdh(as, ua, secret) < 0 || derive(secret, auth, ua_public, as_public, salt, cek, nonce) < 0)
		goto out;
	record = xcalloc(1, body);
	memcpy(record, plain, len);
	record[len] = 0x02;
	unsigned char *h = out;
	memcpy(h, salt, WEBPUSH_SALT_BYTES);
	h += WEBPUSH_SALT_BYTES;
	uint32_t rs = WEBPUSH_RECORD_SIZE;
	*h++ = (unsigned char)(rs >> 24);
	*h++ = (unsigned char)(rs >> 16);
	*h++ = (unsigned char)(rs >> 8);
	*h++ = (unsigned char)rs;
	*h++ = WEBPUSH_POINT_BYTES;
	memcpy(h, as_public, WEBPUSH_POINT_BYTES);
	if (aes_gcm(cek, nonce, record, body, out + WEBPUSH_HEADER_BYTES) < 0)
		goto out;
	*out_len = WEBPUSH_HEADER_BYTES + body + WEBPUSH_TAG_BYTES;
	rc = 0;
out:
	if (record) {
		OPENSSL_cleanse(record, body);
		free(record);
	}
	OPENSSL_cleanse(secret, sizeof secret);
	OPENSSL_cleanse(cek, sizeof cek);
	EVP_PKEY_free(ua);
	EVP_PKEY_free(as);
	return rc;
}
