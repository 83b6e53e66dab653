/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * webpush.h - the cryptography of web push (issue 15), by the standards,
 * with OpenSSL's libcrypto:
 *
 * - VAPID (RFC 8292): the server's P-256 key pair, kept in a PEM file beside
 *   the master key (created at first start, mode 0600, refused when others
 *   may read it, as the master key is), and the `Authorization: vapid t=JWT,
 *   k=KEY` header whose ES256 token names the push service's origin (aud), an
 *   expiry at most 24 hours ahead (exp) and who runs this server (sub).
 * - Message encryption (RFC 8291) in the aes128gcm content coding (RFC 8188):
 *   an ephemeral P-256 key per message, ECDH with the browser's key, HKDF
 *   with the browser's auth secret, AES-128-GCM, one record.
 *
 * Pure functions but for the key file: no network (notify/push_http.c sends)
 * and no store (domain/push.c decides what to send).
 */
#ifndef HEARTH_WEBPUSH_H
#define HEARTH_WEBPUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"

/* An uncompressed P-256 point: 0x04, x, y. */
#define WEBPUSH_POINT_BYTES 65
/* The browser's authentication secret (RFC 8291 section 3.2). */
#define WEBPUSH_AUTH_BYTES 16
#define WEBPUSH_SALT_BYTES 16
/* salt, record size, key id length, key id (the sender's public key): RFC 8188 section 2.1. */
#define WEBPUSH_HEADER_BYTES (WEBPUSH_SALT_BYTES + 4 + 1 + WEBPUSH_POINT_BYTES)
#define WEBPUSH_TAG_BYTES 16
/* The one record's size, as the header states it. */
#define WEBPUSH_RECORD_SIZE 4096
/* A point in base64url without padding: 87 characters. */
#define WEBPUSH_POINT_TEXT 88
/* The Authorization header's value: a JWT of three short parts and the key. */
#define WEBPUSH_VAPID_MAX 1024

/* The server's VAPID key pair (opaque; freed with webpush_key_free). */
struct webpush_key;

/*
 * Reads the VAPID key file at path (a PEM P-256 private key); when it does
 * not exist and create is true, makes a new key pair and writes it there
 * (mode 0600, durably, never over an existing file). NULL with why in err:
 * unreadable, open to other users (with the chmod that fixes it), or not a
 * P-256 key.
 */
struct webpush_key *webpush_key_load(const char *path, bool create, char *err, size_t err_len);
void webpush_key_free(struct webpush_key *k);
/* The public key, base64url: what GET /push/key gives browsers for pushManager.subscribe. */
const char *webpush_key_public(const struct webpush_key *k);

/*
 * The origin of an endpoint URL ("https://push.example.net" or with its
 * port as written): the VAPID token's audience. False when url has no
 * scheme://host part or it does not fit in n bytes.
 */
bool webpush_origin(const char *url, char *out, size_t n) WARN_UNUSED;

/*
 * The value of the Authorization header for a message to endpoint:
 * "vapid t=JWT, k=PUBLIC_KEY", the token signed with ES256, expiring 12
 * hours after now_ms (the real clock: the push service checks it against
 * its own), subject a mailto: or https: URI. 0, or -1 on a failure.
 */
int webpush_vapid_header(const struct webpush_key *k, const char *endpoint, const char *subject, int64_t now_ms,
                         char out[WEBPUSH_VAPID_MAX]) WARN_UNUSED;

/* True when p is an uncompressed point on P-256 (a browser's p256dh key). */
bool webpush_point_valid(const unsigned char p[WEBPUSH_POINT_BYTES]);

/*
 * Decodes base64url text (with or without padding) of exactly n bytes into
 * out; false for anything else.
 */
bool webpush_decode(const char *text, unsigned char *out, size_t n) WARN_UNUSED;

/*
 * Fixed inputs for the RFC 8291 test vector (tests only): the sender's key
 * pair and the salt. Production passes NULL and gets fresh random ones.
 */
struct webpush_fixed {
	unsigned char sender_private[32];
	unsigned char sender_public[WEBPUSH_POINT_BYTES];
	unsigned char salt[WEBPUSH_SALT_BYTES];
};

/*
 * Encrypts plain (len bytes) for the browser whose keys are ua_public and
 * auth, as one aes128gcm record padded with zeros to pad_to bytes of
 * plaintext when that is more (so every message has the same length on the
 * wire, whatever its words). Writes header and record into out (cap bytes)
 * and their length into *out_len. 0, or -1 (a bad browser key, too small a
 * buffer, a libcrypto failure).
 */
int webpush_encrypt(const unsigned char ua_public[WEBPUSH_POINT_BYTES], const unsigned char auth[WEBPUSH_AUTH_BYTES],
                    const unsigned char *plain, size_t len, size_t pad_to, const struct webpush_fixed *fixed,
                    unsigned char *out, size_t cap, size_t *out_len) WARN_UNUSED;

#endif
