"""The working calendar: which days and hours count towards a deadline (Vietnamese public
holidays, substitute days and each year's announced swaps), and deadlines counted in them."""
