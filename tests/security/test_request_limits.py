"""Oversized or unmeasurable request bodies are refused before anything reads them."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.images import MAX_UPLOAD_BYTES
from comments.readers.forms import form_token
from cramps_site.request_limits import MB
from tests.subprocess_env import subprocess_env

ROOT = Path(__file__).resolve().parents[2]
FIVE_MB = 5 * MB


@pytest.fixture
def post_url(an_article):
    """Where the comment form posts."""
    return reverse("comments:post", args=[an_article.slug])


@pytest.fixture
def form_data(an_article):
    """A valid comment, as the rendered form would send it a minute after showing it."""
    token = form_token(an_article, rendered_at=time.time() - 60)
    return {"body": "Calf stretches help.", "token": token, "homepage": "", "reply_to": ""}


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_declaring(client, url, length, **extra):
    """A POST whose headers announce `length` bytes that are never sent."""
    return client.generic(
        "POST",
        url,
        CONTENT_LENGTH=str(length),
        CONTENT_TYPE="application/x-www-form-urlencoded",
        **{"wsgi.input": UnreadableBody()},
        **extra,
    )


@pytest.mark.django_db
def test_a_5_mb_comment_post_gets_413_without_its_body_being_read(client, post_url):
    response = post_declaring(client, post_url, FIVE_MB)
    assert response.status_code == 413
    assert "larger than this site accepts (1 MB)" in response.content.decode()
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/search/?q=x", "/admin/login/", "/comments/1/report/", "/"])
def test_every_public_url_refuses_a_5_mb_body(client, path):
    assert post_declaring(client, path, FIVE_MB).status_code == 413


@pytest.mark.django_db
def test_the_limit_is_one_mb_for_the_public(client, post_url):
    assert post_declaring(client, post_url, settings.REQUEST_BODY_LIMIT + 1).status_code == 413


@pytest.mark.django_db
def test_a_body_of_unknown_length_gets_411_never_a_500(client, post_url):
    """Chunked: Django reads a body only up to its Content-Length, so it would be lost."""
    response = client.generic(
        "POST",
        post_url,
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 411


@pytest.mark.django_db
@pytest.mark.parametrize("length", ["lots", "-5", "1e9", "0x10"])
def test_a_content_length_that_is_not_a_number_gets_400(client, post_url, length):
    response = client.generic(
        "POST", post_url, CONTENT_LENGTH=length, **{"wsgi.input": UnreadableBody()}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_too_many_form_fields_are_a_400_not_a_500(client, post_url, form_data):
    crowded = form_data | {f"extra{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}
    assert client.post(post_url, crowded).status_code == 400


@pytest.mark.django_db
def test_staff_form_text_over_one_mb_is_a_400_even_within_the_admin_limit(admin_client):
    """DATA_UPLOAD_MAX_MEMORY_SIZE: the admin's larger limit is for files, not form text."""
    url = reverse("admin:articles_article_add")
    response = admin_client.post(url, {"body": "x" * (2 * MB)})
    assert response.status_code == 400


@pytest.mark.django_db
def test_staff_are_not_given_the_admin_limit_outside_the_admin(admin_client, post_url):
    assert post_declaring(admin_client, post_url, FIVE_MB).status_code == 413


@pytest.mark.django_db
def test_an_anonymous_5_mb_post_to_the_admin_gets_413(client):
    assert post_declaring(client, reverse("admin:index"), FIVE_MB).status_code == 413


@pytest.mark.django_db
def test_staff_are_refused_over_the_admin_limit(admin_client):
    url = reverse("admin:articles_article_add")
    length = settings.STAFF_REQUEST_BODY_LIMIT + 1
    assert post_declaring(admin_client, url, length).status_code == 413


def noise_png(max_bytes: int) -> bytes:
    """A PNG as large as fits under max_bytes: random pixels do not compress."""
    side = int((max_bytes * 0.95 / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    assert FIVE_MB < len(buffer.getvalue()) <= max_bytes
    return buffer.getvalue()


@pytest.mark.django_db
def test_staff_still_upload_a_hero_image_up_to_its_10_mb_limit(admin_client, an_article):
    url = reverse("admin:articles_article_change", args=[an_article.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "hero_image"}
    data.update(
        tags=[],
        author=an_article.author_id,
        reviewer=an_article.reviewer_id,
        topic=an_article.topic_id,
        publish_at_0=an_article.publish_at.date().isoformat(),
        publish_at_1="09:00:00",
        hero_image=SimpleUploadedFile("big.png", noise_png(MAX_UPLOAD_BYTES), "image/png"),
        hero_alt="Random noise standing in for a photograph",
    )
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(k): v for k, v in management.initial.items()}
        data[management.add_prefix("TOTAL_FORMS")] = management.initial["INITIAL_FORMS"]
    data.pop("publish_at", None)

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    an_article.refresh_from_db()
    assert an_article.hero_image.size > FIVE_MB


# A real server: the refusal comes before the body is even sent.


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def a_gunicorn_server(tmp_path):
    """gunicorn on production settings; the refusals need no database, so none is made."""
    port = free_port()
    env = subprocess_env(tmp_path, f"sqlite:///{tmp_path}/unused.sqlite3")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cramps_site.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def raw_request(port: int, head: str, body: bytes = b"") -> str:
    """Send a request by hand and return the status line of the answer.

    The body goes from another thread: the server may answer, and close, first.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
        sender = threading.Thread(target=send_ignoring_a_closed_connection, args=(sock, body))
        sender.start()
        status = sock.makefile("rb").readline().decode().strip()
        sender.join()
        return status


def send_ignoring_a_closed_connection(sock, body: bytes) -> None:
    with contextlib.suppress(OSError):
        sock.sendall(body)


def test_gunicorn_answers_413_to_a_5_mb_post_before_the_body_is_sent(a_gunicorn_server):
    head = (
        "POST /comments/post/leg-cramps-at-night/ HTTP/1.1\n"
        "Host: 127.0.0.1\n"
        "Content-Type: application/x-www-form-urlencoded\n"
        f"Content-Length: {FIVE_MB}\n"
    )
    assert raw_request(a_gunicorn_server, head).startswith("HTTP/1.1 413")


def test_gunicorn_answers_411_to_a_chunked_body_over_the_limit(a_gunicorn_server):
    chunk = b"a" * 65536
    body = (b"%x\r\n%s\r\n" % (len(chunk), chunk)) * (FIVE_MB // len(chunk)) + b"0\r\n\r\n"
    head = (
        "POST /comments/post/leg-cramps-at-night/ HTTP/1.1\n"
        "Host: 127.0.0.1\n"
        "Content-Type: application/x-www-form-urlencoded\n"
        "Transfer-Encoding: chunked\n"
    )
    assert raw_request(a_gunicorn_server, head, body).startswith("HTTP/1.1 411")
