// traefikcheck loads a Traefik v3 dynamic configuration (YAML file) the way Traefik's file provider does
// (paerser into dynamic.Configuration), checks that every router names a defined service and every
// weighted / mirroring service defined ones, builds Traefik's own HTTP muxer from the routers (rule syntax,
// priorities), then prints, for each "METHOD PATH" line on stdin, the router Traefik would pick.
// Used by tests/test_cutover.py.
package main

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/traefik/paerser/file"
	"github.com/traefik/traefik/v3/pkg/config/dynamic"
	httpmuxer "github.com/traefik/traefik/v3/pkg/muxer/http"
)

func fail(format string, a ...any) {
	fmt.Printf(format+"\n", a...)
	os.Exit(1)
}

func main() {
	content, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail("read: %v", err)
	}
	cfg := &dynamic.Configuration{}
	if err := file.DecodeContent(string(content), ".yaml", cfg); err != nil {
		fail("decode: %v", err)
	}
	if cfg.HTTP == nil || len(cfg.HTTP.Routers) == 0 {
		fail("no http routers")
	}
	services := cfg.HTTP.Services
	for name, s := range services {
		n := 0
		if s.LoadBalancer != nil {
			n++
		}
		if s.Weighted != nil {
			n++
			for _, w := range s.Weighted.Services {
				if _, ok := services[w.Name]; !ok {
					fail("service %s: weighted service %s is not defined", name, w.Name)
				}
			}
		}
		if s.Mirroring != nil {
			n++
			if _, ok := services[s.Mirroring.Service]; !ok {
				fail("service %s: mirrored service %s is not defined", name, s.Mirroring.Service)
			}
			for _, m := range s.Mirroring.Mirrors {
				if _, ok := services[m.Name]; !ok {
					fail("service %s: mirror %s is not defined", name, m.Name)
				}
			}
		}
		if n != 1 {
			fail("service %s: %d kinds (one of loadBalancer, weighted, mirroring)", name, n)
		}
	}
	mux, err := httpmuxer.NewMuxer()
	if err != nil {
		fail("muxer: %v", err)
	}
	for name, r := range cfg.HTTP.Routers {
		if _, ok := services[r.Service]; !ok {
			fail("router %s: service %s is not defined", name, r.Service)
		}
		name := name
		handler := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, name) })
		if err := mux.AddRoute(r.Rule, "", r.Priority, handler); err != nil {
			fail("router %s: %v", name, err)
		}
	}
	fmt.Printf("ok: %d routers, %d services\n", len(cfg.HTTP.Routers), len(services))
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		method, path, _ := strings.Cut(strings.TrimSpace(in.Text()), " ")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
		router := rec.Body.String()
		if router == "" {
			router = "(none)"
		}
		fmt.Printf("%s %s %s %s\n", method, path, router, cfg.HTTP.Routers[router].Service)
	}
}
