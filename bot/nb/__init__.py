"""NoneBot glue shared by the plugins: the command table, contexts, message conversion.

Everything OneBot-specific (segments, replies, @) lives here and in bot/plugins; bot/core never
imports NoneBot.
"""
