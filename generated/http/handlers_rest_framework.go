package main

// This file is yours: migrator wrote it once and never overwrites it. Each handler below stands for
// a Django view of the rest_framework app whose data access is not migrated yet: it answers 501 with the
// view's name and source until you port it.

import (
	"net/http"
)

// APIRootView stands for the class-based view rest_framework.routers.APIRootView at rest_framework/routers.py:314, routed as:
//
//	GET, HEAD, OPTIONS /api/drf/{$} (api-root)
//	GET, HEAD, OPTIONS /api/drf/{format} (api-root)
//
// Path parameters (read with r.PathValue): format (drf_format_suffix).
//
//	class APIRootView(views.APIView):
//	    """
//	    The default basic root view for DefaultRouter
//	    """
//	    _ignore_model_permissions = True
//	    schema = None  # exclude from schema
//	    api_root_dict = None
//
//	    def get(self, request, *args, **kwargs):
//	        # Return a plain {"name": "hyperlink"} response.
//	        ret = {}
//	        namespace = request.resolver_match.namespace
//	        for key, url_name in self.api_root_dict.items():
//	            if namespace:
//	                url_name = namespace + ':' + url_name
//	            try:
//	                ret[key] = reverse(
//	                    url_name,
//	                    args=args,
//	                    kwargs=kwargs,
//	                    request=request,
//	                    format=kwargs.get('format')
//	                )
//	            except NoReverseMatch:
//	                # Don't bail out if eg. no list routes exist, only detail routes.
//	                continue
//
//	        return Response(ret)
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) APIRootView(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "rest_framework.routers.APIRootView", "rest_framework/routers.py:314")
}
