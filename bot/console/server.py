"""`moodbot run`: the bot and the console on one event loop, until SIGINT or SIGTERM.

Long polling: the console listens on CONSOLE_HOST:CONSOLE_PORT (0: no console). Webhook mode: one ASGI app on
WEBHOOK_LISTEN:WEBHOOK_PORT takes Telegram's updates at /telegram (the secret header checked) and serves the console
beside them (CONSOLE_PORT=0 leaves only /telegram and the health endpoints).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from telegram import Update
from telegram.ext import Application

from bot.console.app import console_asgi
from bot.console.security import same
from bot.runtime import RUNTIME_KEY, Runtime
from bot.settings import Settings

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram"


def webhook_endpoint(application: Application[Any, Any, Any, Any, Any, Any], secret: str) -> Any:
    async def receive(request: Request) -> Response:
        """An update from Telegram: refused without the secret header, else handled before it is acknowledged.

        Telegram delivers an update again until it is acknowledged, so an instance that dies while handling one
        loses nothing: the update goes to another instance.
        """
        if not same(request.headers.get("x-telegram-bot-api-secret-token"), secret):
            return PlainTextResponse("forbidden", status_code=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except ValueError:
            return PlainTextResponse("not an update", status_code=400)
        await application.update_processor.process_update(update, application.process_update(update))
        return PlainTextResponse("ok")

    return receive


class ConsoleError(RuntimeError):
    """The console cannot listen where it was told to."""


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a port in use is one clear error rather than an exit deep in uvicorn."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as exc:
        listening.close()
        raise ConsoleError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    listening.listen(128)
    listening.setblocking(False)
    return listening


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """SIGINT and SIGTERM stop the bot and the console together (see `serve`), not uvicorn alone."""
        yield


async def serve(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings, *, webhook: bool) -> None:
    rt: Runtime = application.bot_data[RUNTIME_KEY]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    webhook_route = None
    if webhook:
        assert settings.webhook_url and settings.webhook_secret is not None
        secret = settings.webhook_secret.get_secret_value()
        await application.bot.set_webhook(settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        webhook_route = (WEBHOOK_PATH, webhook_endpoint(application, secret))
        host, port = settings.webhook_listen, settings.webhook_port
    else:
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        host, port = settings.console_host, settings.console_port
    pages = settings.console_port != 0
    server = None
    try:
        if pages or webhook_route:
            app = console_asgi(rt, pages=pages, extra=[webhook_route] if webhook_route else [])
            listening = listen(host, port)
            config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off")
            server = _Server(config)
            serving = asyncio.create_task(server.serve(sockets=[listening]), name="console")
            if pages:
                log.info("console at %s", settings.console_base())
        await stop.wait()
    finally:
        if server is not None:
            server.should_exit = True
            await serving
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
