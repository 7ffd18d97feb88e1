// The Go side of tests/test_auth.py: a JSON-lines server answering with the generated djauth package.
// Copied into a generated tree as cmd/authprobe by the test (it is not part of what the migrator writes).
//
//	DATABASE_URL=... DIALECT=sqlite|postgresql|mysql SECRET_KEY=... go run ./cmd/authprobe
package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	_ "github.com/glebarez/sqlite"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"MODULE/djauth"
)

type request struct {
	Op            string   `json:"op"`
	Password      string   `json:"password"`
	Encoded       string   `json:"encoded"`
	Hasher        string   `json:"hasher"`
	Cookie        *string  `json:"cookie"`
	Username      string   `json:"username"`
	Perms         []string `json:"perms"`
	Secret        string   `json:"secret"`
	Method        string   `json:"method"`
	Token         *string  `json:"token"`
	Form          bool     `json:"form"`
	Origin        *string  `json:"origin"`
	Referer       *string  `json:"referer"`
	Host          string   `json:"host"`
	Secure        bool     `json:"secure"`
	Path          string   `json:"path"`
	Authorization string   `json:"authorization"`
	Scheme        string   `json:"scheme"`
	Mixin         string   `json:"mixin"`
	Raise         bool     `json:"raise_exception"`
	Respond       bool     `json:"respond"`
	Status        int      `json:"status"`
	Read          bool     `json:"read"`
	Login         string   `json:"login"`
}

func main() {
	cfg, err := djauth.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	dialect, driver := os.Getenv("DIALECT"), "sqlite"
	switch dialect {
	case "postgresql":
		driver = "pgx"
	case "mysql": // DATABASE_URL is go-sql-driver's DSN (tests/auth/harness.py mysql_dsn)
		driver = "mysql"
	}
	db, err := sql.Open(driver, os.Getenv("DATABASE_URL"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	a := djauth.New(cfg, db, dialect)
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			out.Encode(map[string]any{"exception": err.Error()})
			continue
		}
		answer, err := serve(context.Background(), a, req)
		if err != nil {
			answer = map[string]any{"exception": err.Error()}
		}
		out.Encode(answer)
	}
}

func userID(u *djauth.User) any {
	if u == nil || !u.IsAuthenticated {
		return nil
	}
	return u.ID
}

func serve(ctx context.Context, a *djauth.Auth, req request) (map[string]any, error) {
	switch req.Op {
	case "check":
		ok, update := a.Config.Passwords.Check(req.Password, req.Encoded)
		return map[string]any{"ok": ok, "update": update}, nil
	case "make":
		p, err := djauth.NewPasswords([]string{req.Hasher}, djauth.DjangoPBKDF2Iterations)
		if err != nil {
			return nil, err
		}
		encoded, err := p.Make(req.Password)
		return map[string]any{"encoded": encoded}, err
	case "session_user":
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: a.Config.SessionCookieName, Value: *req.Cookie})
		var user *djauth.User
		w := httptest.NewRecorder()
		a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { user = djauth.UserOf(r) })).
			ServeHTTP(w, r)
		if !req.Respond {
			return map[string]any{"id": userID(user)}, nil
		}
		var set any // the session cookie the response sets (a cycled session), nil when none
		for _, c := range w.Result().Cookies() {
			if c.Name == a.Config.SessionCookieName {
				set = c.Value
			}
		}
		return map[string]any{"id": userID(user), "set_cookie": set}, nil
	case "session_response": // djauth's Middleware around a view reading request.user (Read), answering Status
		return sessionResponse(a, req), nil
	case "login":
		u, err := a.Authenticate(ctx, req.Username, req.Password)
		if err != nil || u == nil {
			return map[string]any{"cookie": nil}, err
		}
		w := httptest.NewRecorder()
		if err := a.Login(w, httptest.NewRequest("POST", "/login/", nil), u); err != nil {
			return nil, err
		}
		for _, c := range w.Result().Cookies() {
			if c.Name == a.Config.SessionCookieName {
				var maxAge any
				if c.MaxAge > 0 {
					maxAge = c.MaxAge
				}
				return map[string]any{"cookie": c.Value, "max_age": maxAge, "expires": c.RawExpires != ""}, nil
			}
		}
		return nil, fmt.Errorf("no session cookie set")
	case "set_password":
		u, err := a.UserByUsername(ctx, req.Username)
		if err != nil {
			return nil, err
		}
		return map[string]any{}, a.SetPassword(ctx, u, req.Password)
	case "perm":
		u, err := a.UserByUsername(ctx, req.Username)
		if err != nil {
			return nil, err
		}
		has, err := a.HasPerms(ctx, u, req.Perms)
		return map[string]any{"has": has}, err
	case "csrf_token":
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: a.Config.CSRFCookieName, Value: req.Secret})
		return map[string]any{"token": a.CSRFToken(httptest.NewRecorder(), r)}, nil
	case "csrf_check":
		return csrfCheck(a, req), nil
	case "login_redirect":
		w := httptest.NewRecorder()
		a.LoginRequired(func(http.ResponseWriter, *http.Request) {})(w, httptest.NewRequest("GET", req.Path, nil))
		return map[string]any{"status": w.Code, "location": w.Header().Get("Location")}, nil
	case "mixin": // a class-based view's access mixin on a GET of req.Path with the session cookie
		r := httptest.NewRequest("GET", req.Path, nil)
		if req.Cookie != nil {
			r.AddCookie(&http.Cookie{Name: a.Config.SessionCookieName, Value: *req.Cookie})
		}
		view := func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }
		h := a.LoginRequiredMixin(req.Raise, view)
		if req.Mixin == "permission" {
			h = a.PermissionRequiredMixin(req.Perms, req.Raise, view)
		}
		w := httptest.NewRecorder()
		a.Middleware(h).ServeHTTP(w, r)
		return map[string]any{"status": w.Code, "location": w.Header().Get("Location")}, nil
	case "user_once": // issue 14: request.user is loaded once per request, by whichever part reads it first
		return userOnce(a, *req.Cookie)
	case "drf_auth":
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", req.Authorization)
		find := a.TokenUser
		if req.Scheme == "basic" {
			find = a.BasicUser
		}
		u, err := find(ctx, r)
		if failed, ok := err.(*djauth.AuthFailed); ok {
			return map[string]any{"id": nil, "detail": failed.Detail}, nil
		}
		return map[string]any{"id": userID(u), "detail": ""}, err
	}
	return nil, fmt.Errorf("unknown op %q", req.Op)
}

func csrfCheck(a *djauth.Auth, req request) map[string]any {
	var r *http.Request
	if req.Form && req.Token != nil {
		r = httptest.NewRequest(req.Method, "/orders/", strings.NewReader("csrfmiddlewaretoken="+*req.Token))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(req.Method, "/orders/", nil)
		if req.Token != nil {
			r.Header.Set(a.Config.CSRFHeaderName, *req.Token)
		}
	}
	r.Host = req.Host
	if r.Host == "" {
		r.Host = "testserver" // the oracle's default (RequestFactory)
	}
	if req.Secure {
		r.Header.Set("X-Forwarded-Proto", "https")
	}
	if req.Origin != nil {
		r.Header.Set("Origin", *req.Origin)
	}
	if req.Referer != nil {
		r.Header.Set("Referer", *req.Referer)
	}
	if req.Cookie != nil {
		r.AddCookie(&http.Cookie{Name: a.Config.CSRFCookieName, Value: *req.Cookie})
	}
	var reason any = ""
	status := 200
	a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.CheckCSRF(r); err != nil {
			reason, status = err.Reason, 403
		}
	})).ServeHTTP(httptest.NewRecorder(), r)
	return map[string]any{"status": status, "reason": reason}
}

// userOnce serves one request signed in with cookie through the Middleware and @login_required, whose view
// deletes the session row, then reads request.user again three ways (as a migrated view's body, a guard and
// a plain handler do). Loaded once, every read is the user the guard saw; a second load would find no
// session and answer AnonymousUser. A request after it shows the session is gone ("after": null).
func userOnce(a *djauth.Auth, cookie string) (map[string]any, error) {
	if strings.Trim(cookie, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return nil, fmt.Errorf("not a session key: %q", cookie)
	}
	var reads []any
	var failed error
	view := func(w http.ResponseWriter, r *http.Request) {
		reads = append(reads, userID(djauth.UserOf(r)))
		_, failed = a.DB.ExecContext(r.Context(), "DELETE FROM django_session WHERE session_key = '"+cookie+"'")
		u, err := djauth.CurrentUser(r.Context())
		failed = errors.Join(failed, err)
		reads = append(reads, userID(u), userID(djauth.UserOf(r)), djauth.SessionOf(r)["_auth_user_id"])
	}
	request := func(h http.Handler) {
		r := httptest.NewRequest("GET", "/orders/", nil)
		r.AddCookie(&http.Cookie{Name: a.Config.SessionCookieName, Value: cookie})
		a.Middleware(h).ServeHTTP(httptest.NewRecorder(), r)
	}
	request(a.LoginRequired(view))
	var after *djauth.User
	request(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { after = djauth.UserOf(r) }))
	return map[string]any{"reads": reads, "after": userID(after)}, failed
}

// sessionResponse is oracle.py's session_response: the user, and the session cookie's Set-Cookie (as sent)
// and the Vary header of the answer.
func sessionResponse(a *djauth.Auth, req request) map[string]any {
	r := httptest.NewRequest("GET", "/", nil)
	if req.Cookie != nil {
		r.Header.Set("Cookie", a.Config.SessionCookieName+"="+*req.Cookie)
	}
	var id any
	w := httptest.NewRecorder()
	var failed error
	a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if req.Login != "" {
			u, err := a.Authenticate(r.Context(), req.Login, "pw")
			if failed = err; err == nil && u != nil {
				failed = a.Login(w, r, u)
			}
		}
		if req.Read {
			id = userID(djauth.UserOf(r))
		}
		w.WriteHeader(req.Status)
	})).ServeHTTP(w, r)
	if failed != nil {
		return map[string]any{"exception": failed.Error()}
	}
	answer := map[string]any{"id": id, "status": w.Code, "set_cookie": nil, "vary": nil}
	for _, v := range w.Result().Header.Values("Set-Cookie") {
		if strings.HasPrefix(v, a.Config.SessionCookieName+"=") {
			answer["set_cookie"] = v
		}
	}
	if v := w.Result().Header.Get("Vary"); v != "" {
		answer["vary"] = v
	}
	return answer
}
