/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_webpush.c - unit tests for domain/webpush.c: the RFC 8291 appendix A
 * test vector (fixed sender keys and salt give the exact message); padding
 * hides the length of the words; browser keys are checked to be points on
 * P-256; the VAPID key file is made once, kept, and refused when others may
 * read it; the VAPID token is an ES256 JWT whose signature verifies under
 * the public key given to browsers, with the endpoint's origin as audience
 * and an expiry within 24 hours.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/webpush.h"

/* RFC 8291 appendix A. */
static const char UA_PUBLIC[] =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
static const char AUTH[] = "BTBZMqHH6r4Tts7J_aSIgg";
static const char AS_PUBLIC[] =
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
static const char AS_PRIVATE[] = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
static const char SALT[] = "DGv6ra1nlYgDCS1FRnbzlw";
static const char PLAIN[] = "When I grow up, I want to be a watermelon";
static const char MESSAGE[] =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3j"
    "l7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

static void rfc8291_test_vector(void **state)
{
	(void)state;
	unsigned char ua[WEBPUSH_POINT_BYTES], auth[WEBPUSH_AUTH_BYTES], out[512];
	struct webpush_fixed fixed;
	assert_true(webpush_decode(UA_PUBLIC, ua, sizeof ua));
	assert_true(webpush_decode(AUTH, auth, sizeof auth));
	assert_true(webpush_decode(AS_PUBLIC, fixed.sender_public, sizeof fixed.sender_public));
	assert_true(webpush_decode(AS_PRIVATE, fixed.sender_private, sizeof fixed.sender_private));
	assert_true(webpush_decode(SALT, fixed.salt, sizeof fixed.salt));
	size_t n = 0;
	assert_int_equal(
	    webpush_encrypt(ua, auth, (const unsigned char *)PLAIN, strlen(PLAIN), 0, &fixed, out, sizeof out, &n), 0);
	char text[700];
	sodium_bin2base64(text, sizeof text, out, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	assert_string_equal(text, MESSAGE);

	/* padded: the same words give a longer message of a fixed size, and another salt gives another one */
	unsigned char padded[512];
	size_t m = 0;
	assert_int_equal(webpush_encrypt(ua, auth, (const unsigned char *)PLAIN, strlen(PLAIN), 256, NULL, padded,
	                                 sizeof padded, &m),
	                 0);
	assert_int_equal(m, WEBPUSH_HEADER_BYTES + 257 + WEBPUSH_TAG_BYTES);
	assert_memory_not_equal(padded, out, WEBPUSH_SALT_BYTES);
	/* too small a buffer, or a key that is no point: refused */
	assert_int_equal(
	    webpush_encrypt(ua, auth, (const unsigned char *)PLAIN, strlen(PLAIN), 256, NULL, padded, 200, &m), -1);
	ua[10] ^= 1;
	assert_int_equal(
	    webpush_encrypt(ua, auth, (const unsigned char *)PLAIN, strlen(PLAIN), 0, NULL, padded, sizeof padded, &m),
	    -1);
}

static void browser_keys_are_checked(void **state)
{
	(void)state;
	unsigned char p[WEBPUSH_POINT_BYTES], small[WEBPUSH_AUTH_BYTES];
	assert_true(webpush_decode(UA_PUBLIC, p, sizeof p));
	assert_true(webpush_point_valid(p));
	p[WEBPUSH_POINT_BYTES - 1] ^= 1; /* off the curve */
	assert_false(webpush_point_valid(p));
	assert_true(webpush_decode(UA_PUBLIC, p, sizeof p));
	p[0] = 0x02;
	assert_false(webpush_point_valid(p));
	/* base64url with or without padding; nothing else, and exactly the size asked for */
	assert_true(webpush_decode("BTBZMqHH6r4Tts7J_aSIgg==", small, sizeof small));
	assert_false(webpush_decode("BTBZMqHH6r4Tts7J_aSIg", small, sizeof small));
	assert_false(webpush_decode("BTBZMqHH6r4Tts7J_aSIggAA", small, sizeof small));
	assert_false(webpush_decode("BTBZMqHH6r4Tts7J+aSIgg", small, sizeof small));
	assert_false(webpush_decode("BTBZMqHH6r4Tts7J aSIgg", small, sizeof small));
	assert_false(webpush_decode("", small, sizeof small));
	assert_false(webpush_decode(NULL, small, sizeof small));
}

static void origins(void **state)
{
	(void)state;
	char o[64];
	assert_true(webpush_origin("https://fcm.googleapis.com/fcm/send/abc", o, sizeof o));
	assert_string_equal(o, "https://fcm.googleapis.com");
	assert_true(webpush_origin("http://127.0.0.1:4567/push/1?x#y", o, sizeof o));
	assert_string_equal(o, "http://127.0.0.1:4567");
	assert_true(webpush_origin("https://push.example.net", o, sizeof o));
	assert_string_equal(o, "https://push.example.net");
	assert_false(webpush_origin("https:///path", o, sizeof o));
	assert_false(webpush_origin("no-scheme/path", o, sizeof o));
	assert_false(webpush_origin("https://a-very-long-host-name-that-does-not-fit.example.net/", o, 20));
}

/* Verifies an ES256 JWS signature (r || s) over msg with a public point. */
static bool es256_verify(const unsigned char point[WEBPUSH_POINT_BYTES], const char *msg, size_t len,
                         const unsigned char sig[64])
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
	OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point, WEBPUSH_POINT_BYTES);
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(b);
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *k = NULL;
	assert_int_equal(EVP_PKEY_fromdata_init(c), 1);
	assert_int_equal(EVP_PKEY_fromdata(c, &k, EVP_PKEY_PUBLIC_KEY, params), 1);
	ECDSA_SIG *s = ECDSA_SIG_new();
	ECDSA_SIG_set0(s, BN_bin2bn(sig, 32, NULL), BN_bin2bn(sig + 32, 32, NULL));
	unsigned char *der = NULL;
	int der_len = i2d_ECDSA_SIG(s, &der);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	bool ok = EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, k) == 1 &&
	          EVP_DigestVerify(md, der, (size_t)der_len, (const unsigned char *)msg, len) == 1;
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	ECDSA_SIG_free(s);
	EVP_PKEY_free(k);
	EVP_PKEY_CTX_free(c);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	return ok;
}

static void vapid_key_file_and_token(void **state)
{
	(void)state;
	/* in the working directory: meson runs tests in the build directory */
	char dir[] = "hearth-vapid-XXXXXX", path[64], err[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/vapid.pem", dir);
	assert_null(webpush_key_load(path, false, err, sizeof err));
	assert_non_null(strstr(err, "does not exist"));
	struct webpush_key *k = webpush_key_load(path, true, err, sizeof err);
	assert_non_null(k);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	struct webpush_key *again = webpush_key_load(path, true, err, sizeof err);
	assert_non_null(again);
	assert_string_equal(webpush_key_public(k), webpush_key_public(again));
	webpush_key_free(again);

	char header[WEBPUSH_VAPID_MAX];
	int64_t now = 1790000000000;
	assert_int_equal(
	    webpush_vapid_header(k, "https://push.example.net:8443/send/abc", "mailto:ops@example.org", now, header),
	    0);
	/* "vapid t=HEADER.CLAIMS.SIGNATURE, k=KEY" */
	assert_true(strncmp(header, "vapid t=", 8) == 0);
	char *comma = strstr(header, ", k=");
	assert_non_null(comma);
	assert_string_equal(comma + 4, webpush_key_public(k));
	*comma = '\0';
	char *jwt = header + 8, *dot1 = strchr(jwt, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	assert_non_null(dot2);
	unsigned char sig[64], point[WEBPUSH_POINT_BYTES], claims_raw[512];
	assert_true(webpush_decode(dot2 + 1, sig, sizeof sig));
	assert_true(webpush_decode(webpush_key_public(k), point, sizeof point));
	assert_true(es256_verify(point, jwt, (size_t)(dot2 - jwt), sig));
	sig[5] ^= 1;
	assert_false(es256_verify(point, jwt, (size_t)(dot2 - jwt), sig));
	size_t claims_len = 0;
	assert_int_equal(sodium_base642bin(claims_raw, sizeof claims_raw, dot1 + 1, (size_t)(dot2 - dot1 - 1), NULL,
	                                   &claims_len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
	                 0);
	json_t *claims = json_loadb((const char *)claims_raw, claims_len, 0, NULL);
	assert_non_null(claims);
	assert_string_equal(json_string_value(json_object_get(claims, "aud")), "https://push.example.net:8443");
	assert_string_equal(json_string_value(json_object_get(claims, "sub")), "mailto:ops@example.org");
	json_int_t exp = json_integer_value(json_object_get(claims, "exp"));
	assert_true(exp > now / 1000 && exp <= now / 1000 + 24 * 3600);
	json_decref(claims);
	webpush_key_free(k);

	/* open to others: refused, with the chmod that fixes it */
	assert_int_equal(chmod(path, 0644), 0);
	assert_null(webpush_key_load(path, true, err, sizeof err));
	assert_non_null(strstr(err, "chmod 600"));
	/* not a key */
	assert_int_equal(chmod(path, 0600), 0);
	FILE *f = fopen(path, "w");
	fputs("not a key\n", f);
	fclose(f);
	assert_null(webpush_key_load(path, true, err, sizeof err));
	assert_non_null(strstr(err, "damaged"));
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rfc8291_test_vector),
	    cmocka_unit_test(browser_keys_are_checked),
	    cmocka_unit_test(origins),
	    cmocka_unit_test(vapid_key_file_and_token),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
