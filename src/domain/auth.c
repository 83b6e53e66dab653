/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * auth.c - account rules and crypto with libsodium (see auth.h).
 */
#include "auth.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "../store/store.h"
#include "../util/i18n.h"

const char *auth_check_username(const char *s, size_t n)
{
	if (n < 3 || n > 32)
		return N_("Choose a username of 3 to 32 characters.");
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return N_("Use only lower-case letters a-z, digits, dots, underscores and dashes.");
	}
	return NULL;
}

const char *auth_check_password(const char *s, size_t n)
{
	if (!utf8_valid(s, n))
		return N_("The password must be valid text.");
	size_t chars = utf8_length(s, n);
	if (chars < 12)
		return N_("Choose a password of at least 12 characters.");
	if (chars > 1024)
		return N_("A password can be at most 1024 characters.");
	return NULL;
}

const char *auth_check_display_name(const char *s, size_t n)
{
	if (!utf8_valid(s, n))
		return N_("Your name must be valid text.");
	size_t chars = utf8_length(s, n);
	size_t blank = 0;
	while (blank < n && (s[blank] == ' ' || s[blank] == '\t'))
		blank++;
	if (chars == 0 || blank == n)
		return N_("Tell us the name your partner knows you by.");
	if (chars > 64)
		return N_("A name can be at most 64 characters.");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* C0 controls, DEL, and C1 controls (U+0080..U+009F is 0xC2 0x80..0x9F) */
		if (c < 0x20 || c == 0x7f || (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] < 0xa0))
			return N_("A name cannot contain line breaks or control characters.");
	}
	return NULL;
}

static const char *const role_names[] = {
    [ROLE_MEMBER] = "member",
    [ROLE_THERAPIST] = "therapist",
    [ROLE_ADMIN] = "admin",
};

bool role_parse(const char *s, enum role *out)
{
	int i = word_find(s, role_names, ARRAY_LEN(role_names));
	if (i < 0)
		return false;
	*out = (enum role)i;
	return true;
}

const char *role_name(enum role r)
{
	assert((size_t)r < ARRAY_LEN(role_names));
	return role_names[r];
}

enum role viewer_role(const struct viewer *v)
{
	enum role r = ROLE_MEMBER;
	return v && role_parse(v->role, &r) ? r : ROLE_MEMBER;
}

/*
 * At most one argon2id computation per core at once; the rest wait here.
 * Each takes the whole of a core and 64 MiB for about a tenth of a second,
 * so more at once only make every one of them, and every other request,
 * slower (and the memory grow with the burst). The server also admits the
 * routes that hash a few at a time without holding a thread (http/server.c);
 * this gate covers every other caller.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	long free;
	bool ready;
} gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false};

static void gate_enter(void)
{
	pthread_mutex_lock(&gate.lock);
	if (!gate.ready) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		gate.free = cores < 1 ? 1 : cores;
		gate.ready = true;
	}
	while (gate.free == 0)
		pthread_cond_wait(&gate.freed, &gate.lock);
	gate.free--;
	pthread_mutex_unlock(&gate.lock);
}

static void gate_leave(void)
{
	pthread_mutex_lock(&gate.lock);
	gate.free++;
	pthread_cond_signal(&gate.freed);
	pthread_mutex_unlock(&gate.lock);
}

/*
 * argon2id's cost: libsodium's "interactive" limits (two passes over 64 MiB).
 * A hash records its own cost, so a verification follows the hash it checks.
 */
static unsigned long long hash_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t hash_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

#ifdef HEARTH_TEST_HOOKS
void auth_password_cost_minimum(void)
{
	hash_ops = crypto_pwhash_OPSLIMIT_MIN;
	hash_mem = crypto_pwhash_MEMLIMIT_MIN;
}
#endif

int auth_password_hash(const char *password, size_t n, char *out)
{
	gate_enter();
	int rc = crypto_pwhash_str(out, password, n, hash_ops, hash_mem);
	gate_leave();
	return rc;
}

bool auth_password_verify(const char *hash, const char *password, size_t n)
{
	gate_enter();
	bool ok = crypto_pwhash_str_verify(hash, password, n) == 0;
	gate_leave();
	return ok;
}

/* The hash the dummy verification checks against, made once. */
static char dummy[crypto_pwhash_STRBYTES];
static bool dummy_ready;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	dummy_ready = auth_password_hash("hearth-dummy-password", 21, dummy) == 0;
}

void auth_password_dummy_verify(const char *password, size_t n)
{
	pthread_once(&dummy_once, dummy_init);
	if (dummy_ready && auth_password_verify(dummy, password, n))
		return; /* cannot match: only the time spent matters */
}

void auth_token_new(char *out)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, TOKEN_TEXT_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void auth_token_hash(const char *token, size_t n, char *out)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, n, NULL, 0);
	hex_encode(h, sizeof h, out);
}

void auth_csrf_for(const char *session_token, char *out)
{
	static const char label[] = "hearth-csrf-v1";
	unsigned char key[32], h[32];
	crypto_generichash(key, sizeof key, (const unsigned char *)session_token, strlen(session_token), NULL, 0);
	crypto_generichash(h, sizeof h, (const unsigned char *)label, sizeof label - 1, key, sizeof key);
	hex_encode(h, sizeof h, out);
	sodium_memzero(key, sizeof key);
}

bool auth_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}

/* Crockford-style alphabet: no I, L, O, U, so codes read aloud survive. */
static const char code_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* A code of `groups` groups of four symbols, dash-separated: 20 bits per group. */
static void code_new(char *out, int groups)
{
	size_t j = 0;
	for (int i = 0; i < groups * 4; i++) {
		if (i > 0 && i % 4 == 0)
			out[j++] = '-';
		out[j++] = code_alphabet[randombytes_uniform(32)];
	}
	out[j] = '\0';
}

/* What a person typed as a code of `groups` groups, in its canonical form; -1 when it cannot be one. */
static int code_normalise(const char *in, size_t n, int groups, char *out)
{
	char raw[4 * 4];
	size_t want = (size_t)groups * 4, k = 0;
	assert(want <= sizeof raw);
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c == '-' || c == ' ' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (!strchr(code_alphabet, c) || c == '\0' || k == want)
			return -1;
		raw[k++] = c;
	}
	if (k != want)
		return -1;
	size_t j = 0;
	for (size_t i = 0; i < want; i++) {
		if (i > 0 && i % 4 == 0)
			out[j++] = '-';
		out[j++] = raw[i];
	}
	out[j] = '\0';
	return 0;
}

void auth_invite_code_new(char *out)
{
	code_new(out, 3);
}

int auth_invite_code_normalise(const char *in, size_t n, char *out)
{
	return code_normalise(in, n, 3, out);
}

void auth_recovery_code_new(char *out)
{
	code_new(out, 4);
}

int auth_recovery_code_normalise(const char *in, size_t n, char *out)
{
	return code_normalise(in, n, 4, out);
}
