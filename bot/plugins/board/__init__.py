"""The public progress board (办理进度公开) on the FastAPI app NoneBot already runs.

Pages: ``/`` the year at a glance, ``/proposals`` (filters, search, paging),
``/proposals/<year>/<no>`` (progress bar and public timeline); one stylesheet,
``/static/board.css``; public engagement (engagement.py, submit.py, visitors.py): ``/plan``
(协商计划), ``/topics`` (议题征集), ``/tips`` (提案线索), ``/news`` (政协动态), their forms and
the rating form on each proposal page; ``/exports`` (downloads.py): the files 导出 wrote,
for staff only. What they may show is decided in bot/core/board (visibility.py).
The chat command ``网页 [17]`` (bot/plugins/records/webpage.py) gives the address (BOARD_URL).
"""

from __future__ import annotations

import nonebot
from nonebot.plugin import PluginMetadata

from bot.plugins.board import downloads, engagement, submit
from bot.plugins.board.routes import router

__plugin_meta__ = PluginMetadata(
    name="办理进度公开",
    description="网页：年度总览、提案办理列表与每件提案的办理进度",
    usage="浏览器打开 http://机器人地址:端口/ ；BOARD_PUBLIC=false 时需 ?token=BOARD_TOKEN",
    supported_adapters={"~onebot.v11"},
)

nonebot.get_app().include_router(router)
nonebot.get_app().include_router(engagement.router)
nonebot.get_app().include_router(submit.router)
nonebot.get_app().include_router(downloads.router)
