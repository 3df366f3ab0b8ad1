/* control_params.c — validation of request parameters. Each helper returns false with
 * kind "BadArguments" and a reason naming the parameter. An optional parameter that is
 * absent or null leaves *out untouched. */
#include <math.h>
#include <string.h>
#include "control_internal.h"

static const char *const schema_kinds[] = {
	"UnknownSession", "ClosedSession", "BadArguments", "UnknownMethod", "Full", "Duplicate",
	"NotFound", "NotSupported", "Timeout", "NotConnected", "ProtocolVersion", "Busy",
	"Unauthorized", "CoreError", "AppError", "Internal", NULL
};

const char *ctl_static_kind(const char *kind)
{
	for (int i = 0; kind != NULL && schema_kinds[i] != NULL; i++)
		if (strcmp(kind, schema_kinds[i]) == 0)
			return schema_kinds[i];
	return "AppError";
}

static bool bad(const char **kind, char **reason, const char *name, const char *expected)
{
	*kind = "BadArguments";
	*reason = g_strdup_printf("%s: expected %s", name, expected);
	return false;
}

/* Fetches p[name]; false (with the error set) if required and missing. *v = NULL when
 * an optional one is absent. */
static bool get(json_t *p, const char *name, bool optional, json_t **v, const char **kind, char **reason)
{
	*v = json_object_get(p, name);
	if (*v != NULL && json_is_null(*v))
		*v = NULL;
	if (*v == NULL && !optional) {
		*kind = "BadArguments";
		*reason = g_strdup_printf("%s: missing", name);
		return false;
	}
	return true;
}

bool ctl_param_int(json_t *p, const char *name, bool optional, long long lo, long long hi,
	long long *out, const char **kind, char **reason)
{
	json_t *v;
	if (!get(p, name, optional, &v, kind, reason))
		return false;
	if (v == NULL)
		return true;
	long long x;
	if (json_is_integer(v)) {
		x = json_integer_value(v);
	} else if (json_is_real(v) && floor(json_real_value(v)) == json_real_value(v) &&
			fabs(json_real_value(v)) < 9e15) {
		x = (long long)json_real_value(v);	/* 3.0 from a JSON encoder: fine */
	} else {
		return bad(kind, reason, name, "an integer");
	}
	if (x < lo || x > hi) {
		*kind = "BadArguments";
		*reason = g_strdup_printf("%s: %lld is out of range [%lld, %lld]", name, x, lo, hi);
		return false;
	}
	*out = x;
	return true;
}

bool ctl_param_u32id(json_t *p, const char *name, bool optional, uint32_t *out, const char **kind, char **reason)
{
	long long x = -1;
	if (!ctl_param_int(p, name, optional, 1, G_MAXUINT32, &x, kind, reason))
		return false;
	if (x >= 0)
		*out = (uint32_t)x;
	return true;
}

bool ctl_param_bool(json_t *p, const char *name, bool optional, bool *out, const char **kind, char **reason)
{
	json_t *v;
	if (!get(p, name, optional, &v, kind, reason))
		return false;
	if (v == NULL)
		return true;
	if (!json_is_boolean(v))
		return bad(kind, reason, name, "a boolean");
	*out = json_is_true(v);
	return true;
}

bool ctl_param_str(json_t *p, const char *name, bool optional, const char **out, const char **kind, char **reason)
{
	json_t *v;
	if (!get(p, name, optional, &v, kind, reason))
		return false;
	if (v == NULL)
		return true;
	if (!json_is_string(v))
		return bad(kind, reason, name, "a string");
	*out = json_string_value(v);
	return true;
}

bool ctl_param_obj(json_t *p, const char *name, bool optional, json_t **out, const char **kind, char **reason)
{
	json_t *v;
	if (!get(p, name, optional, &v, kind, reason))
		return false;
	if (v == NULL)
		return true;
	if (!json_is_object(v))
		return bad(kind, reason, name, "an object");
	*out = v;
	return true;
}

bool ctl_param_enum(json_t *p, const char *name, bool optional, const char *const *values, int *out,
	const char **kind, char **reason)
{
	const char *s = NULL;
	if (!ctl_param_str(p, name, optional, &s, kind, reason))
		return false;
	if (s == NULL)
		return true;
	for (int i = 0; values[i] != NULL; i++) {
		if (strcmp(s, values[i]) == 0) {
			*out = i;
			return true;
		}
	}
	char *list = g_strjoinv("|", (char **)values);
	*kind = "BadArguments";
	*reason = g_strdup_printf("%s: expected one of %s, got '%s'", name, list, s);
	g_free(list);
	return false;
}

bool ctl_param_array(json_t *p, const char *name, bool optional, size_t max, json_t **out,
	const char **kind, char **reason)
{
	json_t *v;
	if (!get(p, name, optional, &v, kind, reason))
		return false;
	if (v == NULL)
		return true;
	if (!json_is_array(v))
		return bad(kind, reason, name, "an array");
	if (json_array_size(v) > max) {
		*kind = "BadArguments";
		*reason = g_strdup_printf("%s: at most %zu elements, got %zu", name, max, json_array_size(v));
		return false;
	}
	*out = v;
	return true;
}

/* Standard base64 (padding optional, no whitespace). */
bool ctl_param_b64(json_t *p, const char *name, uint8_t **out, size_t *len, const char **kind, char **reason)
{
	const char *s = NULL;
	if (!ctl_param_str(p, name, false, &s, kind, reason))
		return false;
	size_t n = strlen(s), pad = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
			ch == '+' || ch == '/';
		if (ch == '=' && i >= n - 2) {
			pad++;
			continue;
		}
		if (!ok || pad > 0)
			return bad(kind, reason, name, "base64 data");
	}
	if ((n - pad) % 4 == 1)
		return bad(kind, reason, name, "base64 data");
	gsize out_len = 0;
	if (n % 4 != 0) {	/* unpadded: pad it, g_base64_decode wants whole quads */
		char *padded = g_strnfill(n + (4 - n % 4), '=');
		memcpy(padded, s, n);
		*out = g_base64_decode(padded, &out_len);
		g_free(padded);
	} else {
		*out = n ? g_base64_decode(s, &out_len) : g_malloc0(1);
	}
	*len = out_len;
	return true;
}
