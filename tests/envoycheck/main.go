// envoycheck validates an Envoy v3 bootstrap (JSON on stdin) with Envoy's own API: go-control-plane's
// protos (unknown fields refused) and their protoc-gen-validate rules, the HTTP connection manager's typed
// config included; every safe_regex must compile as RE2 (what Envoy uses). Used by tests/test_cutover.py.
package main

import (
	"fmt"
	"io"
	"os"
	"regexp"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/router/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	"google.golang.org/protobuf/encoding/protojson"
)

func fail(what string, err error) {
	fmt.Println(what+":", err)
	os.Exit(1)
}

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("read", err)
	}
	var b bootstrapv3.Bootstrap
	if err := protojson.Unmarshal(data, &b); err != nil {
		fail("unmarshal", err)
	}
	if err := b.ValidateAll(); err != nil {
		fail("validate", err)
	}
	routes := 0
	for _, l := range b.GetStaticResources().GetListeners() {
		for _, fc := range l.GetFilterChains() {
			for _, f := range fc.GetFilters() {
				var h hcmv3.HttpConnectionManager
				if err := f.GetTypedConfig().UnmarshalTo(&h); err != nil {
					fail("http_connection_manager", err)
				}
				if err := h.ValidateAll(); err != nil {
					fail("validate http_connection_manager", err)
				}
				for _, vh := range h.GetRouteConfig().GetVirtualHosts() {
					for _, r := range vh.GetRoutes() {
						routes++
						if re := r.GetMatch().GetSafeRegex(); re != nil {
							if _, err := regexp.Compile(re.GetRegex()); err != nil {
								fail("route "+r.GetName(), err)
							}
						}
					}
				}
			}
		}
	}
	fmt.Printf("ok: %d routes\n", routes)
}
