from django.urls import reverse


def test_home_page_says_what_the_site_is(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Find a practitioner" in response.content
