"""Fast table tests of translate/handlers_humanize: an import in the view's body, gettext then %, and naturaltime of a
DateTimeField value read with the request's clock once (the Go djtypes.NaturalTime is checked against Django in
tests/test_naturaltime.py). Exact Go expected; no Django, no Go build."""

from __future__ import annotations

import pytest

from migrator.translate.handlers import NotRecognised
from migrator.translate.handlers_humanize import english
from tests.test_handlers_units import _reader as units_reader

ENGLISH = {"use_tz": True, "time_zone": "UTC", "i18n": True, "language": "en-us", "locale_middleware": False}

VIEW = '''def item_detail(request, pk):
    """One item's age."""
    item = get_object_or_404(Item, pk=pk)
    from django.contrib.humanize.templatetags.humanize import naturaltime
    return JsonResponse({"id": item.id, "since": naturaltime(item.created)})
'''


def _reader(source, tz):
    return units_reader(source, created=True, tz=tz)


def _read(source, tz=ENGLISH):
    try:
        return _reader(source, tz).read()
    except NotRecognised as exc:
        return str(exc)


def test_naturaltime_reads_the_clock_once_at_the_top():
    assert _read(VIEW) == [
        "requestNow := djtypes.Now()",
        "item, err := s.Store.GetItem(ctx, pk)",
        "if err != nil {",
        'return NotFoundOrFail(err, "item_detail: get item")',
        "}",
        "return 200, ItemDetailResponse{ID: item.ID, Since: djtypes.NaturalTime(item.Created.Time, requestNow)}, nil",
    ]


@pytest.mark.parametrize("edit, reason", [
    (("from django.contrib.humanize", "from .humanize"), "a relative or * import in the view"),
    (("import naturaltime", "import *"), "a relative or * import in the view"),
    (("naturaltime(item.created)", "naturaltime(item.id)"), "naturaltime of `item.id`, not a non-null DateTimeField"),
    (("naturaltime(item.created)", "naturaltime(item.created, 1)"), "naturaltime with other arguments than one"),
    (("import naturaltime", "import naturalday as naturaltime"), "call of django.contrib.humanize.templatetags.humanize.naturalday"),
])
def test_what_stays_a_stub(edit, reason):
    assert reason in _read(VIEW.replace(*edit))


@pytest.mark.parametrize("tz, reason", [
    (dict(ENGLISH, language="fr"), "naturaltime: LANGUAGE_CODE 'fr' (only English texts are ported)"),
    (dict(ENGLISH, language="en-gb"), "naturaltime: LANGUAGE_CODE 'en-gb'"),
    (dict(ENGLISH, locale_middleware=True), "naturaltime: LocaleMiddleware (the language is chosen per request)"),
    (dict(ENGLISH, use_tz=False), "naturaltime without USE_TZ"),
    ({"use_tz": True, "time_zone": "UTC"}, "naturaltime: USE_I18N and LANGUAGE_CODE not read"),
])
def test_only_english_aware_texts_move(tz, reason):
    assert reason in _read(VIEW, tz)


@pytest.mark.parametrize("tz, why", [
    (dict(ENGLISH, i18n=False, language="de"), ""),  # translations off: the source texts, English
    (dict(ENGLISH, language="EN"), ""),
    (dict(ENGLISH, language="en-au"), "LANGUAGE_CODE 'en-au' (only English texts are ported)"),
    (None, "USE_I18N and LANGUAGE_CODE not read"),
])
def test_english(tz, why):
    assert english(tz) == why


TIMES = '''def item_detail(request, pk):
    """One item's count."""
    item = get_object_or_404(Item, pk=pk)
    return JsonResponse({"id": item.id, "times": _("%d times") % item.id})
'''


def _with_texts(source, texts, tz=ENGLISH):
    reader = _reader(source, tz)
    fn = reader.route["functions"]["shop.views.item_detail"]
    fn["names"]["_"] = {"kind": "external", "ref": "django.utils.translation.gettext"}
    fn["texts"] = texts
    try:
        return reader.read()[-1]
    except NotRecognised as exc:
        return str(exc)


@pytest.mark.parametrize("source, texts, tz, want", [
    (TIMES, {"%d times": "%d times"}, ENGLISH,
     'return 200, ItemDetailResponse{ID: item.ID, Times: fmt.Sprintf("%d times", item.ID)}, nil'),
    (TIMES, {"%d times": "%d fois"}, dict(ENGLISH, language="fr"),  # the loader's translation, whatever the language
     'return 200, ItemDetailResponse{ID: item.ID, Times: fmt.Sprintf("%d fois", item.ID)}, nil'),
    (TIMES.replace("%d times", "100%% of %s"), {"100%% of %s": "100%% of %s"}, ENGLISH,
     'return 200, ItemDetailResponse{ID: item.ID, Times: fmt.Sprintf("100%% of %d", item.ID)}, nil'),
    (TIMES, {}, ENGLISH, "gettext of a text the loader did not translate"),
    (TIMES, {"%d times": "%d times"}, dict(ENGLISH, locale_middleware=True), "the language may be chosen per request"),
    (TIMES.replace("%d times", "%5d times"), {"%5d times": "%5d times"}, ENGLISH, "only one %d, %i or %s of an integer"),
    (TIMES.replace("%d times", "%d of %d"), {"%d of %d": "%d of %d"}, ENGLISH, "only one %d, %i or %s of an integer"),
    (TIMES.replace("%d times", "100%"), {"100%": "100%"}, ENGLISH, "only one %d, %i or %s of an integer"),
    (TIMES.replace("%d times", "%x"), {"%x": "%x"}, ENGLISH, "only one %d, %i or %s of an integer"),
    (TIMES.replace('_("%d times") % item.id', 'item.id % 7'), {}, ENGLISH, "only +, - and * of integers"),
])
def test_gettext_then_percent(source, texts, tz, want):
    got = _with_texts(source, texts, tz)
    assert want in got, got
