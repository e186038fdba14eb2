/* R_AARCH64_MOVW_UABS_G1 (checked) of an address above 4 GiB. */
	.text
t:	movz	x0, #:abs_g1:t
