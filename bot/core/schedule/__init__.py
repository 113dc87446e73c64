"""Calendar and schedules: working days and holidays, deadlines, quiet hours, the digests
(日报 / 周报 / 月报), the periodic reminder sweep, and the rates every figure is computed by."""
