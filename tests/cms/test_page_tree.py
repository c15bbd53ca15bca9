"""Where each page type may be created, how many there may be, and one message a day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale, Page

from cms.daily_messages.models import DailyMessageIndexPage, DailyMessagePage
from cms.home.models import HomePage
from cms.news.models import NewsIndexPage, NewsPage
from cms.pages.models import IncidentReportPage, IndicatorsPage, SearchPage, StandardPage
from tests.support.pages import add_standard_page, make_daily_message, make_news

pytestmark = pytest.mark.django_db

SECTIONS = [DailyMessageIndexPage, NewsIndexPage, SearchPage]


def test_only_the_root_holds_home_pages(public_site):
    assert HomePage.allowed_parent_page_models() == [Page]
    for parent in (public_site.ar.home, public_site.ar.news, public_site.ar.messages):
        assert not HomePage.can_create_at(parent)


def test_one_home_page_per_content_language(public_site):
    assert HomePage.max_count == 2
    assert HomePage.objects.count() == 2
    assert not HomePage.can_create_at(Page.get_first_root_node())


def test_a_home_page_holds_the_indexes_standard_and_search_pages():
    assert set(HomePage.allowed_subpage_models()) == {
        DailyMessageIndexPage,
        NewsIndexPage,
        StandardPage,
        SearchPage,
        IndicatorsPage,
        IncidentReportPage,
    }


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_once_per_home(public_site, section):
    assert section.allowed_parent_page_models() == [HomePage]
    # Both homes of the fixture already have one. (Read afresh: the fixture's English home
    # was made before its children and still counts none.)
    for home in (public_site.ar.home, public_site.en.home):
        assert not section.can_create_at(HomePage.objects.get(pk=home.pk))


@pytest.mark.parametrize("section", SECTIONS)
def test_a_home_without_the_section_may_get_one(public_site, section):
    existing = section.objects.child_of(public_site.en.home).get()
    existing.delete()
    assert section.can_create_at(Page.objects.get(pk=public_site.en.home.pk))


def test_messages_live_under_the_message_index_only(public_site):
    assert DailyMessageIndexPage.allowed_subpage_models() == [DailyMessagePage]
    assert DailyMessagePage.can_create_at(public_site.ar.messages)
    for parent in (public_site.ar.home, public_site.ar.news, public_site.ar.search):
        assert not DailyMessagePage.can_create_at(parent)
    assert DailyMessagePage.allowed_subpage_models() == []


def test_news_live_under_the_news_index_only(public_site):
    assert NewsIndexPage.allowed_subpage_models() == [NewsPage]
    assert NewsPage.can_create_at(public_site.ar.news)
    for parent in (public_site.ar.home, public_site.ar.messages, public_site.ar.search):
        assert not NewsPage.can_create_at(parent)
    assert NewsPage.allowed_subpage_models() == []


def test_standard_pages_nest_under_the_home_and_each_other(public_site):
    about = add_standard_page(public_site.ar.home, title="عن اللجنة", slug="about")
    add_standard_page(public_site.ar.home, title="اتصل بنا", slug="contact")
    assert StandardPage.can_create_at(public_site.ar.home)
    assert StandardPage.can_create_at(about)
    assert not StandardPage.can_create_at(public_site.ar.news)
    assert StandardPage.allowed_subpage_models() == [StandardPage]


def test_the_search_page_has_no_children(public_site):
    assert SearchPage.allowed_subpage_models() == []


def test_content_pages_cannot_hold_other_pages(public_site):
    news = make_news(public_site.ar.news, title="خبر", slug="item")
    message = make_daily_message(public_site.ar.messages, date=datetime.date(2026, 5, 25))
    for model in (NewsPage, DailyMessagePage, StandardPage, HomePage):
        assert not model.can_create_at(news)
        assert not model.can_create_at(message)


# --- one daily message a day per language ------------------------------------------------
# Page.save() runs full_clean(), so adding a page is validated as the admin's form is.


def another_message(day, title="رسالة أخرى"):
    return DailyMessagePage(
        title=title, slug=f"other-{day.isoformat()}", date=day, summary="ملخص", body="<p>نص</p>"
    )


def test_a_second_message_for_the_same_day_and_language_is_refused(public_site):
    day = datetime.date(2026, 5, 25)
    make_daily_message(public_site.ar.messages, date=day)
    with pytest.raises(ValidationError) as error:
        public_site.ar.messages.add_child(instance=another_message(day))
    assert "date" in error.value.message_dict
    assert DailyMessagePage.objects.filter(date=day).count() == 1


def test_moving_a_message_onto_a_taken_day_is_refused(public_site):
    make_daily_message(public_site.ar.messages, date=datetime.date(2026, 5, 25))
    other = make_daily_message(public_site.ar.messages, date=datetime.date(2026, 5, 26))
    other.date = datetime.date(2026, 5, 25)
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "date" in error.value.message_dict


def test_the_same_day_in_the_other_language_is_allowed(public_site):
    day = datetime.date(2026, 5, 25)
    make_daily_message(public_site.ar.messages, date=day)
    public_site.en.messages.add_child(instance=another_message(day, title="Another message"))
    assert DailyMessagePage.objects.filter(date=day).count() == 2


def test_the_translation_of_a_message_keeps_its_day(public_site):
    day = datetime.date(2026, 5, 25)
    message = make_daily_message(public_site.ar.messages, date=day)
    translation = message.copy_for_translation(Locale.objects.get(language_code="en"))
    translation.full_clean()
    assert translation.date == day


def test_editing_a_message_does_not_collide_with_itself(public_site):
    message = make_daily_message(public_site.ar.messages, date=datetime.date(2026, 5, 25))
    message.title = "عنوان جديد"
    message.full_clean()


def test_another_day_is_allowed(public_site):
    make_daily_message(public_site.ar.messages, date=datetime.date(2026, 5, 25))
    public_site.ar.messages.add_child(instance=another_message(datetime.date(2026, 5, 26)))
