/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * keyring.h - encryption at rest for everything a person writes that is not
 * public.
 *
 * Each space (or, for someone writing alone, each person) has a random 256-bit
 * data key. Data keys are stored in the database only wrapped (AEAD-encrypted)
 * under the master key, which lives in a key file outside the database
 * (created at first start, mode 0600). A text is stored as
 *   "v1:" KEY_ID ":" base64url(nonce || XChaCha20-Poly1305 ciphertext)
 * with associated data naming its table, row and field, so a ciphertext
 * cannot be moved to another row or field. KEY_ID names the data key that
 * sealed it, so a text stays readable when its row changes space.
 */
#ifndef HEARTH_KEYRING_H
#define HEARTH_KEYRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"
#include "../util/util.h"

struct keyring;

/*
 * Loads the master key from path, creating the file (mode 0600) with a new
 * key when it does not exist and `create` is true. NULL with a message in err,
 * also when the file (or a pending PATH.new) is open to group or others: the
 * message then says the chmod that fixes it.
 */
struct keyring *keyring_open(const char *path, bool create, char *err, size_t err_len);
void keyring_free(struct keyring *k);

/*
 * Issue 18: keep what is opened in a memo of at most `bytes` (util/memo.h),
 * found by the sealed text and its associated data together, so a value
 * read again (a list or a dashboard rendered again after a write) costs a
 * lookup instead of a decryption. The sealed text holds a random nonce and
 * the tag, so a changed value is another key, and a ciphertext moved to
 * another row or field never finds the plaintext it had. The plaintext
 * stays in memory only within the bound and is wiped when it leaves. 0
 * bytes: nothing is kept (HEARTH_CACHE=0). Called before the threads that
 * open values start; keyring_free frees it.
 */
void keyring_remember(struct keyring *k, size_t bytes);
/*
 * Wipes every opened value and unwrapped data key this process holds (after
 * an account's deletion: its texts and keys are gone from the database, so
 * nothing of them stays in memory either). Keys are unwrapped again as
 * needed.
 */
void keyring_forget(struct keyring *k);
/*
 * A value worked out from opened ones (a session's viewer, with the names
 * opened: domain/account.c), kept in the same memo, under the same bound
 * and the same wipes. Its key is text without a NUL; an opened value's key
 * always holds one (after the associated data), so the two never meet.
 * keyring_recall copies a kept value into out when it fits in cap bytes,
 * and says its length: true when there was one. Without a memo
 * (HEARTH_CACHE=0) nothing is kept.
 */
bool keyring_recall(struct keyring *k, const char *key, void *out, size_t cap, size_t *len);
void keyring_keep(struct keyring *k, const char *key, const void *value, size_t len);
/* The memo of opened values (for /metrics, and whether anything is kept at all); NULL when none is kept. */
const struct memo *keyring_opened(const struct keyring *k);

/*
 * Seals plain text for scope_id (a space id, or a user id when alone); NULL
 * plain gives NULL. Returns STORE_OK, or the store's failure (STORE_BUSY when
 * the data key could not be read or created for now).
 */
enum store_status keyring_seal(struct keyring *k, struct store *s, const char *scope_id, const char *ad,
                               const char *plain, struct arena *a, char **out) WARN_UNUSED;
/* Opens a sealed text; STORE_ERROR when it is damaged, forged or its key unknown. */
enum store_status keyring_open_text(struct keyring *k, struct store *s, const char *ad, const char *sealed,
                                    struct arena *a, char **out) WARN_UNUSED;

/*
 * The same for values of a fixed size (a display name, a word, a number),
 * without an arena. keyring_seal_field seals plain (at most 256 bytes) into
 * out (out_size >= SEALED_SIZE(strlen(plain)), store.h); keyring_open_field
 * opens the sealed text in field and writes the plain text over it (an
 * empty field stays empty).
 */
enum store_status keyring_seal_field(struct keyring *k, struct store *s, const char *scope_id, const char *ad,
                                     const char *plain, char *out, size_t out_size) WARN_UNUSED;
enum store_status keyring_open_field(struct keyring *k, struct store *s, const char *ad, char *field,
                                     size_t size) WARN_UNUSED;
/* Opens a sealed value of such a size into plain (cap bytes, at most 257, with the NUL), leaving sealed as it is. */
enum store_status keyring_open_into(struct keyring *k, struct store *s, const char *ad, const char *sealed, char *plain,
                                    size_t cap) WARN_UNUSED;

/*
 * Numbers are sealed as their decimal text: an integer as it is, a double
 * with the 17 digits that read back as the same double (one that is not a
 * finite number is refused: STORE_ERROR). Opening one that is not such a
 * number is STORE_ERROR, as for a damaged text.
 */
enum store_status keyring_seal_int(struct keyring *k, struct store *s, const char *scope_id, const char *ad,
                                   int64_t value, char out[SEALED_NUMBER_SIZE]) WARN_UNUSED;
enum store_status keyring_seal_double(struct keyring *k, struct store *s, const char *scope_id, const char *ad,
                                      double value, char out[SEALED_NUMBER_SIZE]) WARN_UNUSED;
enum store_status keyring_open_int(struct keyring *k, struct store *s, const char *ad, const char *sealed,
                                   int64_t *value) WARN_UNUSED;
enum store_status keyring_open_double(struct keyring *k, struct store *s, const char *ad, const char *sealed,
                                      double *value) WARN_UNUSED;

/* True when text has the form of a sealed text ("v1:" KEY_ID ":" ...); it may still fail to open. */
bool keyring_is_sealed(const char *text);

/*
 * Checks that the key file opens the data keys in the store: every data key
 * names a known master key, and one of them unwraps. Returns 0, or -1 with a
 * message (a wrong or missing key file) in err.
 */
int keyring_verify(struct keyring *k, struct store *s, char *err, size_t err_len) WARN_UNUSED;

/*
 * Re-wraps every data key under a new master key, writes the new key file
 * (the old one is kept as PATH.old until the database agrees), and returns 0.
 * With show_progress, the keys re-wrapped of all are shown on stderr
 * (util/progress.h).
 */
int keyring_rotate(struct keyring *k, struct store *s, const char *path, bool show_progress, char *err,
                   size_t err_len) WARN_UNUSED;

/*
 * A key for one purpose ("throttle", "device-cookie"), derived from the
 * master key, so every server sharing the key file derives the same one and
 * nothing more needs storing. It changes with `hearth rotate-key`.
 */
#define KEYRING_DERIVED_BYTES 32
void keyring_derive(struct keyring *k, const char *purpose, unsigned char out[KEYRING_DERIVED_BYTES]);

#endif
