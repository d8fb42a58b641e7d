"""The build cache: results of pure steps kept between builds."""
