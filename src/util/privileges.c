/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * privileges.c - see privileges.h. Runs once at start-up, after the bind and
 * before the first request is served.
 */
#include "privileges.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static int hand_over(const char *path, uid_t uid, gid_t gid, char *err, size_t err_len)
{
	if (lchown(path, uid, gid) != 0 && errno != ENOENT) {
		snprintf(err, err_len, "cannot hand %s to the service user: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int privileges_drop(const char *user, const char *data_dir, const char *key_file, char *err, size_t err_len)
{
	if (geteuid() != 0)
		return 0;
	struct passwd *pw = getpwnam(user ? user : "hearth");
	if (!pw && !user)
		pw = getpwnam("nobody");
	if (!pw) {
		snprintf(err, err_len, "no such user '%s' to run as", user ? user : "hearth");
		return -1;
	}
	if (pw->pw_uid == 0)
		return 0; /* explicitly asked to stay root */
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	if (hand_over(data_dir, uid, gid, err, err_len) < 0)
		return -1;
	DIR *d = opendir(data_dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", data_dir, e->d_name);
			if (hand_over(path, uid, gid, err, err_len) < 0) {
				closedir(d);
				return -1;
			}
		}
		closedir(d);
	}
	if (key_file && hand_over(key_file, uid, gid, err, err_len) < 0)
		return -1;
	if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
		snprintf(err, err_len, "cannot switch to user '%s': %s", pw->pw_name, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {
		snprintf(err, err_len, "dropping root failed: root could be regained");
		return -1;
	}
#if defined(__SANITIZE_ADDRESS__)
	/* LeakSanitizer needs to inspect the process at exit; only in sanitizer builds. */
	prctl(PR_SET_DUMPABLE, 1);
#endif
	fprintf(stderr, "{\"level\":\"info\",\"msg\":\"dropped root\",\"user\":\"%s\"}\n", pw->pw_name);
	return 0;
}
